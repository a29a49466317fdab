package unformatted

// F is fine.
func F() int { return 1 }

func G( ) int {
	return 2
}
