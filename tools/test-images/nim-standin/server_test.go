package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func start(t *testing.T, vars map[string]string) *httptest.Server {
	t.Helper()
	cfg, err := configFromEnv(env(vars))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newServer(cfg, newReadiness(cfg), time.Unix(1700000000, 0)).routes())
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body
}

func post(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out
}

func TestModelNames(t *testing.T) {
	cases := []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{}, defaultModel},
		{map[string]string{"NIM_SERVED_MODEL_NAME": " a/b , c "}, "a/b,c"},
		{map[string]string{"NIM_SERVED_MODEL_NAME": "x", "NIM_STANDIN_MODEL": "y"}, "x"},
		{map[string]string{"NIM_STANDIN_MODEL": "meta/llama3-8b-instruct"}, "meta/llama3-8b-instruct"},
		{map[string]string{"NIM_MODEL_NAME": "ngc://nim/meta/llama3-8b-instruct:1.0.0"}, "meta/llama3-8b-instruct"},
		{map[string]string{"NIM_MODEL_NAME": "hf://org/model"}, "org/model"},
		{map[string]string{"NIM_MODEL_NAME": "/models/local:1"}, "/models/local:1"},
	}
	for _, c := range cases {
		if got := strings.Join(modelNames(env(c.vars)), ","); got != c.want {
			t.Errorf("%v: got %q, want %q", c.vars, got, c.want)
		}
	}
}

func TestConfigRejectsBadDelay(t *testing.T) {
	if _, err := configFromEnv(env(map[string]string{"NIM_STANDIN_READY_DELAY": "soon"})); err == nil {
		t.Fatal("want an error")
	}
}

func TestReadiness(t *testing.T) {
	cache := t.TempDir()
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		vars   map[string]string
		code   int
		reason string
	}{
		{"no key", map[string]string{"NIM_CACHE_PATH": cache}, 503, "NGC_API_KEY is not set"},
		{"blank key", map[string]string{"NGC_API_KEY": "  ", "NIM_CACHE_PATH": cache}, 503, "NGC_API_KEY is not set"},
		{"no cache", map[string]string{"NGC_API_KEY": "nvapi-test-x"}, 503, "NIM_CACHE_PATH is not set"},
		// Root ignores mode bits, so a path under a regular file is what fails for everyone.
		{"cache not writable", map[string]string{"NGC_API_KEY": "nvapi-test-x", "NIM_CACHE_PATH": filepath.Join(notDir, "cache")}, 503, "is not writable: not a directory"},
		{"delay", map[string]string{"NGC_API_KEY": "nvapi-test-x", "NIM_CACHE_PATH": cache, "NIM_STANDIN_READY_DELAY": "1h"}, 503, "loading model"},
		{"ready", map[string]string{"NGC_API_KEY": "nvapi-test-x", "NIM_CACHE_PATH": cache}, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := get(t, start(t, c.vars).URL+"/v1/health/ready")
			if code != c.code {
				t.Fatalf("code %d, want %d (%v)", code, c.code, body)
			}
			msg, _ := body["message"].(string)
			if c.code == 200 && body["object"] != "health.response" {
				t.Fatalf("body %v", body)
			}
			if c.code != 200 && (!strings.Contains(msg, c.reason) || body["object"] != "error") {
				t.Fatalf("message %q, want it to contain %q", msg, c.reason)
			}
			if strings.Contains(msg, "nvapi-test-x") {
				t.Fatal("the key leaked into the reason")
			}
		})
	}
}

func TestReadyWritesModelIntoCacheAndRemovesProbe(t *testing.T) {
	cache := t.TempDir()
	srv := start(t, map[string]string{
		"NGC_API_KEY": "nvapi-test-x", "NIM_CACHE_PATH": cache, "NIM_STANDIN_MODEL": "meta/llama3-8b-instruct",
	})
	if code, _ := get(t, srv.URL+"/v1/health/ready"); code != 200 {
		t.Fatalf("code %d", code)
	}
	marker, err := os.ReadFile(filepath.Join(cache, "ngc/hub/models--meta--llama3-8b-instruct/nim-standin.json"))
	if err != nil || !strings.Contains(string(marker), `"model":"meta/llama3-8b-instruct"`) {
		t.Fatalf("marker %q, %v", marker, err)
	}
	if strings.Contains(string(marker), "nvapi") {
		t.Fatal("the key leaked into the cache")
	}
	entries, _ := os.ReadDir(cache)
	if len(entries) != 1 || entries[0].Name() != "ngc" {
		t.Fatalf("cache holds %v, want only ngc/ (the probe file removed)", entries)
	}
}

func TestModelsAndChat(t *testing.T) {
	srv := start(t, map[string]string{
		"NGC_API_KEY": "k", "NIM_CACHE_PATH": t.TempDir(), "NIM_SERVED_MODEL_NAME": "meta/llama3-8b-instruct",
	})
	code, list := get(t, srv.URL+"/v1/models")
	data, _ := list["data"].([]any)
	if code != 200 || list["object"] != "list" || len(data) != 1 {
		t.Fatalf("models %d %v", code, list)
	}
	card := data[0].(map[string]any)
	if card["id"] != "meta/llama3-8b-instruct" || card["object"] != "model" || card["owned_by"] != "system" ||
		card["root"] != "meta/llama3-8b-instruct" || card["created"] != float64(1700000000) {
		t.Fatalf("model card %v", card)
	}

	code, out := post(t, srv.URL+"/v1/chat/completions",
		`{"model":"meta/llama3-8b-instruct","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello there"}]}`)
	if code != 200 || out["object"] != "chat.completion" || out["model"] != "meta/llama3-8b-instruct" {
		t.Fatalf("chat %d %v", code, out)
	}
	choice := out["choices"].([]any)[0].(map[string]any)
	msg := choice["message"].(map[string]any)
	if msg["role"] != "assistant" || msg["content"] != "NIM stand-in for meta/llama3-8b-instruct received: hello there" ||
		choice["finish_reason"] != "stop" {
		t.Fatalf("choice %v", choice)
	}
	usage := out["usage"].(map[string]any)
	if usage["prompt_tokens"] != float64(4) || usage["completion_tokens"] != float64(7) || usage["total_tokens"] != float64(11) {
		t.Fatalf("usage %v", usage)
	}

	_, out = post(t, srv.URL+"/v1/chat/completions",
		`{"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"max_tokens":2}`)
	choice = out["choices"].([]any)[0].(map[string]any)
	if choice["finish_reason"] != "length" || choice["message"].(map[string]any)["content"] != "NIM stand-in" {
		t.Fatalf("max_tokens choice %v", choice)
	}

	for body, want := range map[string]int{
		`{"model":`: 400,
		`{"model":"other","messages":[{"role":"user","content":"x"}]}`: 404,
		`{"messages":[]}`:                400,
		`{"messages":[{"content":"x"}]}`: 400,
		`{"messages":[{"role":"user","content":"x"}],"max_tokens":0}`: 400,
		`{"messages":[{"role":"user","content":5}]}`:                  400,
	} {
		code, out := post(t, srv.URL+"/v1/chat/completions", body)
		if code != want || out["object"] != "error" || out["code"] != float64(want) {
			t.Errorf("%s: %d %v, want %d", body, code, out, want)
		}
	}
}

func TestChatUnreadyIs503(t *testing.T) {
	srv := start(t, map[string]string{"NIM_CACHE_PATH": t.TempDir()})
	if code, _ := post(t, srv.URL+"/v1/chat/completions", `{"messages":[{"role":"user","content":"x"}]}`); code != 503 {
		t.Fatalf("code %d", code)
	}
}

func TestStream(t *testing.T) {
	srv := start(t, map[string]string{"NGC_API_KEY": "k", "NIM_CACHE_PATH": t.TempDir()})
	res, err := http.Post(srv.URL+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"stream":true,"messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	text := string(raw)
	if res.Header.Get("Content-Type") != "text/event-stream" || !strings.HasSuffix(text, "data: [DONE]\n\n") ||
		!strings.Contains(text, `"object":"chat.completion.chunk"`) || !strings.Contains(text, `"finish_reason":"stop"`) {
		t.Fatalf("stream %q", text)
	}
}

func TestMetricsAndLive(t *testing.T) {
	srv := start(t, map[string]string{"NGC_API_KEY": "k", "NIM_CACHE_PATH": t.TempDir()})
	if code, body := get(t, srv.URL+"/v1/health/live"); code != 200 || body["message"] != "Service is live." {
		t.Fatalf("live %d %v", code, body)
	}
	post(t, srv.URL+"/v1/chat/completions", `{"messages":[{"role":"user","content":"one two"}]}`)
	res, err := http.Get(srv.URL + "/v1/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	for _, want := range []string{
		"# TYPE request_success_total counter\n",
		`request_success_total{model_name="nvidia/nim-standin"} 1` + "\n",
		`prompt_tokens_total{model_name="nvidia/nim-standin"} 2` + "\n",
		"nim_standin_ready 1\n",
		`nim_standin_http_requests_total{path="/v1/health/live",code="200"} 1` + "\n",
	} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("metrics lack %q:\n%s", want, raw)
		}
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Errorf("content type %q", res.Header.Get("Content-Type"))
	}
}
