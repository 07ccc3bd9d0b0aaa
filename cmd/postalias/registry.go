package main

import (
	"gopostfix/libglobal/util/dict"
	"gopostfix/libglobal/util/dict/stdtypes"
)

// newRegistry returns the table types postalias knows.
func newRegistry() *dict.Registry {
	r := dict.NewRegistry(nil)
	stdtypes.Register(r)
	return r
}
