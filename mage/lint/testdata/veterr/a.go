package veterr

import "fmt"

// F misuses Printf.
func F() { fmt.Printf("%d\n", "x") }
