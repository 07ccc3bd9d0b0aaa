package local_test

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

var ours = instance.NewPrograms("local")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }
