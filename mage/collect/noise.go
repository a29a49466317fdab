package collect

import "math"

// Noise classes of a benchmark under one toolchain, by coefficient of variation.
const (
	NoiseGood       = "good"       // CV < 5%
	NoiseAcceptable = "acceptable" // CV < 10%
	NoiseWarning    = "warning"    // CV < 15%
	NoiseHigh       = "high"       // CV < 30%
	NoiseVeryHigh   = "very high"  // CV >= 30%
)

// cv returns the coefficient of variation (sample standard deviation over
// mean) of xs; 0 for fewer than two values or a zero mean.
func cv(xs []float64) float64 {
	if len(xs) < 2 {
		return 0
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	if mean == 0 {
		return 0
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return math.Sqrt(ss/float64(len(xs)-1)) / math.Abs(mean)
}

// noiseClass names the class of a coefficient of variation.
func noiseClass(c float64) string {
	switch {
	case c < 0.05:
		return NoiseGood
	case c < 0.10:
		return NoiseAcceptable
	case c < 0.15:
		return NoiseWarning
	case c < 0.30:
		return NoiseHigh
	}
	return NoiseVeryHigh
}

// noisy reports whether a benchmark needs extra rounds: whether its CV
// under any toolchain is above cvMax.
//
// Note: the decision looks at each toolchain's own spread only, never at
// how the toolchains compare. Adding samples until a difference looks
// significant is the mistake benchstat's documentation warns against; adding
// them, from a budget fixed in advance, where a sample is too noisy to say
// anything is not.
func noisy(cvs map[string]float64, cvMax float64) bool {
	for _, c := range cvs {
		if c > cvMax {
			return true
		}
	}
	return false
}
