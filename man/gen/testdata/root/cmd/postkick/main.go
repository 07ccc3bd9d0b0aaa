// This stands for a command: only the names of real commands get section 1.

package main

import "example/getopt"

const optString = "+c:lv"

func main() { getopt.Parse(nil, optString, nil) }
