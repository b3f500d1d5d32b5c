package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// readiness plays NIM's start-up: it needs the key to "download" the model and a writable
// cache to put it in. Once ready it stays ready, as a NIM with its model loaded does.
type readiness struct {
	cfg   Config
	start time.Time

	mu     sync.Mutex
	ready  bool
	reason string
	cached bool // the model marker is in the cache
}

// newReadiness checks once before the listener opens, so the first probe already sees why.
func newReadiness(cfg Config) *readiness {
	r := &readiness{cfg: cfg, start: time.Now(), reason: "starting"}
	r.check()
	return r
}

// run re-checks every second until ready: a cache volume may become writable later.
func (r *readiness) run(ctx context.Context) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		if ok, _ := r.state(); ok {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			r.check()
		}
	}
}

func (r *readiness) state() (bool, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ready, r.reason
}

func (r *readiness) check() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ready {
		return
	}
	reason := r.evaluate()
	if reason != r.reason {
		if reason == "" {
			log.Print("ready")
		} else {
			log.Printf("not ready: %s", reason)
		}
	}
	r.ready, r.reason = reason == "", reason
}

// evaluate returns why the stand-in is not ready, or "" when it is.
func (r *readiness) evaluate() string {
	if !r.cfg.HasKey {
		return "NGC_API_KEY is not set; NIM needs it to download the model"
	}
	if r.cfg.CachePath == "" {
		return "NIM_CACHE_PATH is not set"
	}
	if err := probeWritable(r.cfg.CachePath); err != nil {
		return fmt.Sprintf("NIM_CACHE_PATH %s is not writable: %v", r.cfg.CachePath, err)
	}
	if !r.cached {
		if err := writeModelMarker(r.cfg.CachePath, r.cfg.Models[0]); err != nil {
			return fmt.Sprintf("cannot write the model into NIM_CACHE_PATH %s: %v", r.cfg.CachePath, err)
		}
		r.cached = true
	}
	if left := r.cfg.ReadyDelay - time.Since(r.start); left > 0 {
		return fmt.Sprintf("loading model, %s left", left.Round(time.Second))
	}
	return ""
}

// probeWritable really writes, syncs and removes a file: a mode bit check alone would lie
// for root, read-only mounts and full volumes.
func probeWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o775); err != nil {
		return unwrapPath(err)
	}
	f, err := os.CreateTemp(dir, ".nim-standin-write-probe-*")
	if err != nil {
		return unwrapPath(err)
	}
	name := f.Name()
	_, werr := f.WriteString("probe\n")
	serr := f.Sync()
	cerr := f.Close()
	rerr := os.Remove(name)
	return unwrapPath(errors.Join(werr, serr, cerr, rerr))
}

// markerPath is where the stand-in's "model" goes, in NIM's cache layout
// (`ngc/hub/models--<org>--<name>`), so a restarted pod finds it on the same volume.
func markerPath(cache, model string) string {
	return filepath.Join(cache, "ngc", "hub", "models--"+strings.ReplaceAll(model, "/", "--"),
		"nim-standin.json")
}

func writeModelMarker(cache, model string) error {
	path := markerPath(cache, model)
	if _, err := os.Stat(path); err == nil {
		log.Printf("model %s found in cache at %s", model, path)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o775); err != nil {
		return unwrapPath(err)
	}
	body, _ := json.Marshal(map[string]string{
		"model":    model,
		"writer":   "nim-standin " + version,
		"written":  time.Now().UTC().Format(time.RFC3339),
		"contents": "no weights: a test stand-in for NVIDIA NIM",
	})
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(body, '\n'), 0o664); err != nil {
		return unwrapPath(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return unwrapPath(err)
	}
	log.Printf("model %s written to cache at %s", model, path)
	return nil
}

// unwrapPath keeps the reason ("permission denied") and drops the path the caller names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
