package stats

import "math"

// Noise classes of a benchmark's samples, by coefficient of variation.
// Collect decides extra rounds and records the class per toolchain; Export
// shows it as the benchmark's noise.
const (
	NoiseGood       = "good"       // CV < 5%
	NoiseAcceptable = "acceptable" // CV < 10%
	NoiseWarning    = "warning"    // CV < 15%
	NoiseHigh       = "high"       // CV < 30%
	NoiseVeryHigh   = "very high"  // CV >= 30%
)

// NoiseClasses lists the noise classes from the least noisy to the most.
var NoiseClasses = []string{NoiseGood, NoiseAcceptable, NoiseWarning, NoiseHigh, NoiseVeryHigh}

// CV returns the coefficient of variation of xs: the sample standard
// deviation over the absolute mean. ok is false when it does not exist
// (fewer than two values, or a zero mean).
func CV(xs []float64) (cv float64, ok bool) {
	if len(xs) < 2 {
		return 0, false
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	if mean == 0 {
		return 0, false
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss/float64(len(xs)-1)) / math.Abs(mean), true
}

// NoiseClass names the class of a coefficient of variation.
func NoiseClass(cv float64) string {
	switch {
	case cv < 0.05:
		return NoiseGood
	case cv < 0.10:
		return NoiseAcceptable
	case cv < 0.15:
		return NoiseWarning
	case cv < 0.30:
		return NoiseHigh
	}
	return NoiseVeryHigh
}
