// Package lib has no tests: Collect builds nothing for it.
package lib

// Answer is here so the package is not empty.
const Answer = 42
