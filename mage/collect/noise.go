package collect

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
