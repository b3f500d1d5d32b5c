package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func buildPause(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pause")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestExitsZeroOnSIGTERM(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd := exec.Command(buildPause(t))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // let it install its handlers
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%v: exit %v, want 0", sig, err)
			}
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("%v: still running after 5s", sig)
		}
	}
}

// childrenOf lists the PIDs whose parent is pid, zombies included (they stay until reaped).
func childrenOf(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	var kids []int
	for _, e := range entries {
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			n, _ := strconv.Atoi(e.Name())
			kids = append(kids, n)
		}
	}
	return kids
}

func waitFor(cond func() bool, timeout time.Duration) bool {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// As PID 1 of a new PID namespace, pause inherits orphans and must reap them.
func TestReapsOrphansAsPID1(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for a PID namespace")
	}
	for _, tool := range []string{"unshare", "nsenter"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("no %s", tool)
		}
	}
	ns := exec.Command("unshare", "--pid", "--fork", "--kill-child", buildPause(t))
	if err := ns.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ns.Process.Kill(); _ = ns.Wait() })
	var pause int
	if !waitFor(func() bool {
		kids := childrenOf(ns.Process.Pid)
		if len(kids) == 1 {
			pause = kids[0]
		}
		return pause != 0
	}, 5*time.Second) {
		t.Fatal("pause did not start under unshare")
	}
	// sh exits at once, so its background sleep is reparented to the namespace's PID 1.
	out, err := exec.Command("nsenter", "-t", strconv.Itoa(pause), "-p", "--",
		"sh", "-c", "sleep 1 >/dev/null 2>&1 & exit 0").CombinedOutput()
	if err != nil {
		t.Fatalf("nsenter: %v\n%s", err, out)
	}
	if !waitFor(func() bool { return len(childrenOf(pause)) > 0 }, 900*time.Millisecond) {
		t.Fatal("the orphan was not reparented to pause")
	}
	if !waitFor(func() bool { return len(childrenOf(pause)) == 0 }, 5*time.Second) {
		t.Fatalf("pause left children (zombies) %v", childrenOf(pause))
	}
	if err := syscall.Kill(pause, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		t.Fatal(err)
	}
	if err := ns.Wait(); err != nil {
		t.Fatalf("pause exit: %v, want 0", err)
	}
}
