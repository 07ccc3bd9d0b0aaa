// Package helper is not a program: the generator skips it.
package helper
