package bounce_test

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

var ours = instance.NewPrograms("bounce")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }
