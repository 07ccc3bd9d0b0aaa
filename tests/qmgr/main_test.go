package qmgr

import (
	"os"
	"testing"

	"gopostfix/tests/internal/instance"
)

var ours = instance.NewPrograms("qmgr")

func TestMain(m *testing.M) { os.Exit(ours.Main(m)) }
