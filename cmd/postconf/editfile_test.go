package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestEditFileCommit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "main.cf")
	if err := os.WriteFile(path, []byte("old\n"), 0600); err != nil {
		t.Fatal(err)
	}
	// A stale temp file with foreign permissions is replaced, not reused.
	if err := os.WriteFile(path+".tmp", []byte("stale"), 0644); err != nil {
		t.Fatal(err)
	}
	ef, err := openEditFile(path, 0644)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path + ".tmp")
	if err != nil || st.Mode().Perm() != editTmpMode || st.Size() != 0 {
		t.Fatalf("temp file: %v %v", st, err)
	}
	ef.Write([]byte("new\n"))
	if err := ef.commit(); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	st, _ = os.Stat(path)
	if string(data) != "new\n" || st.Mode().Perm() != 0644 {
		t.Fatalf("got %q mode %v", data, st.Mode())
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Fatalf("temp file left: %v", err)
	}
}

func TestEditFileAbort(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "main.cf")
	os.WriteFile(path, []byte("keep\n"), 0644)
	ef, err := openEditFile(path, 0644)
	if err != nil {
		t.Fatal(err)
	}
	ef.Write([]byte("lost\n"))
	ef.abort()
	data, _ := os.ReadFile(path)
	if string(data) != "keep\n" {
		t.Fatalf("original changed: %q", data)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Fatalf("temp file left: %v", err)
	}
	if _, err := openEditFile(filepath.Join(dir, "nosuch", "main.cf"), 0644); err == nil {
		t.Fatal("want error for a missing directory")
	}
}
