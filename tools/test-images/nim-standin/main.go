// Command nim-standin plays NVIDIA NIM's runtime for tests, as the testkit's NGC emulator plays
// NGC's API: the same port, environment, health, model list, metrics and an OpenAI chat
// endpoint, so the product's ServingRuntime runs on it unchanged. It loads no model.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// version is reported by /v1/version; build.sh sets it from versions.env.
var version = "dev"

// Config is what the stand-in reads from its environment.
type Config struct {
	// ListenHost is NIM_STANDIN_LISTEN_HOST: empty binds every address of the pod's netns;
	// tests on the host set 127.0.0.1.
	ListenHost string
	// Port is NIM_SERVER_PORT, NIM's own variable; default 8000.
	Port string
	// Models are the served names: NIM_SERVED_MODEL_NAME (comma-separated, as in NIM), else
	// NIM_STANDIN_MODEL, else derived from NIM_MODEL_NAME, else a fixed default.
	Models []string
	// HasKey says NGC_API_KEY is non-empty; the key itself is never kept or logged.
	HasKey bool
	// CachePath is NIM_CACHE_PATH; empty leaves the stand-in unready.
	CachePath string
	// ReadyDelay is NIM_STANDIN_READY_DELAY (a Go duration): how long the "model load" takes.
	ReadyDelay time.Duration
	// MaxModelLen is what /v1/models reports, NIM_MAX_MODEL_LEN; default 4096.
	MaxModelLen int
}

const defaultModel = "nvidia/nim-standin"

func configFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		ListenHost:  getenv("NIM_STANDIN_LISTEN_HOST"),
		Port:        getenv("NIM_SERVER_PORT"),
		HasKey:      strings.TrimSpace(getenv("NGC_API_KEY")) != "",
		CachePath:   getenv("NIM_CACHE_PATH"),
		Models:      modelNames(getenv),
		MaxModelLen: 4096,
	}
	if c.Port == "" {
		c.Port = "8000"
	}
	if v := getenv("NIM_STANDIN_READY_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return c, fmt.Errorf("NIM_STANDIN_READY_DELAY=%q is not a duration", v)
		}
		c.ReadyDelay = d
	}
	if v := getenv("NIM_MAX_MODEL_LEN"); v != "" {
		if _, err := fmt.Sscanf(v, "%d", &c.MaxModelLen); err != nil || c.MaxModelLen <= 0 {
			return c, fmt.Errorf("NIM_MAX_MODEL_LEN=%q is not a positive integer", v)
		}
	}
	return c, nil
}

func modelNames(getenv func(string) string) []string {
	var names []string
	for _, n := range strings.Split(getenv("NIM_SERVED_MODEL_NAME"), ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) > 0 {
		return names
	}
	if n := strings.TrimSpace(getenv("NIM_STANDIN_MODEL")); n != "" {
		return []string{n}
	}
	if n := modelFromURI(getenv("NIM_MODEL_NAME")); n != "" {
		return []string{n}
	}
	return []string{defaultModel}
}

// modelFromURI turns NIM's NIM_MODEL_NAME (`ngc://nim/meta/llama3-8b-instruct:1.0.0`,
// `hf://org/model`, or a local path) into the name NIM would serve it under.
func modelFromURI(uri string) string {
	uri = strings.TrimSpace(uri)
	scheme, rest, found := strings.Cut(uri, "://")
	if !found {
		return uri // a local path is served under its own name, as vLLM does
	}
	if i := strings.LastIndexByte(rest, ':'); i > strings.LastIndexByte(rest, '/') {
		rest = rest[:i]
	}
	if scheme == "ngc" {
		rest = strings.TrimPrefix(rest, "nim/")
	}
	return rest
}

func main() {
	log.SetFlags(log.LstdFlags | log.LUTC)
	log.SetPrefix("nim-standin ")
	cfg, err := configFromEnv(os.Getenv)
	if err != nil {
		log.Fatal(err)
	}
	if err := run(cfg); err != nil {
		log.Fatal(err)
	}
}

func run(cfg Config) error {
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.ListenHost, cfg.Port))
	if err != nil {
		return err
	}
	log.Printf("%s listening on %s, serving %q; NGC_API_KEY %s, NIM_CACHE_PATH %q",
		version, ln.Addr(), cfg.Models, map[bool]string{true: "set", false: "not set"}[cfg.HasKey],
		cfg.CachePath)
	ready := newReadiness(cfg)
	srv := &http.Server{
		Handler:           newServer(cfg, ready, time.Now()).routes(),
		ReadHeaderTimeout: 10 * time.Second,
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	go ready.run(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Print("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
