package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type server struct {
	cfg     Config
	ready   *readiness
	started time.Time

	chats            atomic.Int64
	requestSuccess   atomic.Int64
	requestFailure   atomic.Int64
	promptTokens     atomic.Int64
	generationTokens atomic.Int64

	mu       sync.Mutex
	requests map[string]int64 // "path code" -> count
}

func newServer(cfg Config, ready *readiness, started time.Time) *server {
	return &server{cfg: cfg, ready: ready, started: started, requests: map[string]int64{}}
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/health/live", s.live)
	mux.HandleFunc("GET /v1/health/ready", s.readyz)
	mux.HandleFunc("GET /v1/models", s.models)
	mux.HandleFunc("GET /v1/metrics", s.metrics)
	mux.HandleFunc("GET /v1/version", s.versionInfo)
	mux.HandleFunc("POST /v1/chat/completions", s.chat)
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not Found"}) // FastAPI's
	})
	return s.count(mux)
}

// count records each answer for /v1/metrics and logs what is not a probe. Only the method and
// path are logged: headers and bodies may carry keys or prompts.
func (s *server) count(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		begin := time.Now()
		next.ServeHTTP(rec, r)
		s.mu.Lock()
		s.requests[fmt.Sprintf("%s %d", r.URL.Path, rec.code)]++
		s.mu.Unlock()
		if !strings.HasPrefix(r.URL.Path, "/v1/health/") && r.URL.Path != "/v1/metrics" {
			log.Printf("%s %s %d %s", r.Method, r.URL.Path, rec.code, time.Since(begin).Round(time.Microsecond))
		}
	})
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.code = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func writeJSON(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// writeError answers in the OpenAI error shape vLLM (and so NIM) uses.
func writeError(w http.ResponseWriter, code int, kind, message string) {
	writeJSON(w, code, map[string]any{
		"object": "error", "message": message, "type": kind, "param": nil, "code": code,
	})
}

func (s *server) live(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"object": "health.response", "message": "Service is live."})
}

func (s *server) readyz(w http.ResponseWriter, _ *http.Request) {
	if ok, reason := s.ready.state(); !ok {
		writeError(w, http.StatusServiceUnavailable, "ServiceUnavailableError", "Service is not ready: "+reason)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"object": "health.response", "message": "Service is ready."})
}

func (s *server) versionInfo(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"release": version, "api": "1.0.0"})
}

// models answers in the shape NIM's /v1/models has (vLLM's model card).
func (s *server) models(w http.ResponseWriter, _ *http.Request) {
	created := s.started.Unix()
	data := make([]map[string]any, 0, len(s.cfg.Models))
	for _, id := range s.cfg.Models {
		data = append(data, map[string]any{
			"id": id, "object": "model", "created": created, "owned_by": "system",
			"root": s.cfg.Models[0], "parent": nil, "max_model_len": s.cfg.MaxModelLen,
			"permission": []map[string]any{{
				"id": "modelperm-" + strings.ReplaceAll(id, "/", "-"), "object": "model_permission",
				"created": created, "allow_create_engine": false, "allow_sampling": true,
				"allow_logprobs": true, "allow_search_indices": false, "allow_view": true,
				"allow_fine_tuning": false, "organization": "*", "group": nil, "is_blocking": false,
			}},
		})
	}
	writeJSON(w, http.StatusOK, map[string]any{"object": "list", "data": data})
}

func (s *server) metrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	model := fmt.Sprintf("model_name=%q", s.cfg.Models[0])
	ready, _ := s.ready.state()
	var b strings.Builder
	metric := func(name, kind, help string, series ...string) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, kind)
		for _, line := range series {
			fmt.Fprintf(&b, "%s%s\n", name, line)
		}
	}
	metric("num_requests_running", "gauge", "Number of requests currently running on GPU.",
		fmt.Sprintf("{%s} 0", model))
	metric("num_requests_waiting", "gauge", "Number of requests waiting to be processed.",
		fmt.Sprintf("{%s} 0", model))
	metric("gpu_cache_usage_perc", "gauge", "GPU KV-cache usage. 1 means 100 percent usage.",
		fmt.Sprintf("{%s} 0", model))
	metric("request_success_total", "counter", "Count of successfully processed requests.",
		fmt.Sprintf("{%s} %d", model, s.requestSuccess.Load()))
	metric("request_failure_total", "counter", "Count of failed requests.",
		fmt.Sprintf("{%s} %d", model, s.requestFailure.Load()))
	metric("prompt_tokens_total", "counter", "Number of prefill tokens processed.",
		fmt.Sprintf("{%s} %d", model, s.promptTokens.Load()))
	metric("generation_tokens_total", "counter", "Number of generation tokens processed.",
		fmt.Sprintf("{%s} %d", model, s.generationTokens.Load()))
	metric("nim_standin_ready", "gauge", "1 when /v1/health/ready answers 200.",
		fmt.Sprintf(" %d", map[bool]int{true: 1, false: 0}[ready]))
	s.mu.Lock()
	keys := make([]string, 0, len(s.requests))
	for k := range s.requests {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	series := make([]string, 0, len(keys))
	for _, k := range keys {
		path, code, _ := strings.Cut(k, " ")
		series = append(series, fmt.Sprintf("{path=%q,code=%q} %d", path, code, s.requests[k]))
	}
	s.mu.Unlock()
	metric("nim_standin_http_requests_total", "counter", "HTTP requests answered, by path and code.", series...)
	_, _ = w.Write([]byte(b.String()))
}

type chatRequest struct {
	Model     string        `json:"model"`
	Messages  []chatMessage `json:"messages"`
	MaxTokens *int          `json:"max_tokens"`
	Stream    bool          `json:"stream"`
}

type chatMessage struct {
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
}

// text reads OpenAI content: a string, or an array of parts of which the text ones count.
func (m chatMessage) text() (string, error) {
	if len(m.Content) == 0 || string(m.Content) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(m.Content, &s); err == nil {
		return s, nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(m.Content, &parts); err != nil {
		return "", errors.New("content must be a string or an array of content parts")
	}
	var texts []string
	for _, p := range parts {
		if p.Type == "text" {
			texts = append(texts, p.Text)
		}
	}
	return strings.Join(texts, " "), nil
}

func (s *server) chat(w http.ResponseWriter, r *http.Request) {
	fail := func(code int, kind, message string) {
		s.requestFailure.Add(1)
		writeError(w, code, kind, message)
	}
	if ok, reason := s.ready.state(); !ok {
		fail(http.StatusServiceUnavailable, "ServiceUnavailableError", "Service is not ready: "+reason)
		return
	}
	var req chatRequest
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	if err := dec.Decode(&req); err != nil {
		fail(http.StatusBadRequest, "BadRequestError", "invalid JSON body: "+err.Error())
		return
	}
	if req.Model == "" {
		req.Model = s.cfg.Models[0] // vLLM serves the first name when none is asked for
	}
	if !slices.Contains(s.cfg.Models, req.Model) {
		// NB: vLLM, and so NIM, answers an unknown model with 404, not 400.
		fail(http.StatusNotFound, "NotFoundError", fmt.Sprintf("The model `%s` does not exist.", req.Model))
		return
	}
	if len(req.Messages) == 0 {
		fail(http.StatusBadRequest, "BadRequestError", "messages must be a non-empty array")
		return
	}
	if req.MaxTokens != nil && *req.MaxTokens < 1 {
		fail(http.StatusBadRequest, "BadRequestError", "max_tokens must be at least 1")
		return
	}
	promptTokens, last := 0, ""
	for i, m := range req.Messages {
		if m.Role == "" {
			fail(http.StatusBadRequest, "BadRequestError", fmt.Sprintf("messages[%d].role is required", i))
			return
		}
		text, err := m.text()
		if err != nil {
			fail(http.StatusBadRequest, "BadRequestError", fmt.Sprintf("messages[%d]: %v", i, err))
			return
		}
		promptTokens += len(strings.Fields(text))
		if m.Role == "user" {
			last = text
		}
	}

	// Deterministic: the same request always gets the same words back.
	words := strings.Fields(fmt.Sprintf("NIM stand-in for %s received: %s", req.Model, last))
	finish := "stop"
	if req.MaxTokens != nil && len(words) > *req.MaxTokens {
		words, finish = words[:*req.MaxTokens], "length"
	}
	id := fmt.Sprintf("chatcmpl-standin-%d", s.chats.Add(1))
	created := time.Now().Unix()
	s.requestSuccess.Add(1)
	s.promptTokens.Add(int64(promptTokens))
	s.generationTokens.Add(int64(len(words)))
	if req.Stream {
		s.stream(w, id, created, req.Model, words, finish)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"id": id, "object": "chat.completion", "created": created, "model": req.Model,
		"choices": []map[string]any{{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": strings.Join(words, " ")},
			"logprobs":      nil,
			"finish_reason": finish,
		}},
		"usage": map[string]int{
			"prompt_tokens": promptTokens, "completion_tokens": len(words),
			"total_tokens": promptTokens + len(words),
		},
	})
}

// stream sends one server-sent event per word, then a finish chunk and [DONE], as OpenAI does.
func (s *server) stream(w http.ResponseWriter, id string, created int64, model string, words []string, finish string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	send := func(delta map[string]any, finishReason any) {
		chunk, _ := json.Marshal(map[string]any{
			"id": id, "object": "chat.completion.chunk", "created": created, "model": model,
			"choices": []map[string]any{{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finishReason}},
		})
		fmt.Fprintf(w, "data: %s\n\n", chunk)
		if flusher != nil {
			flusher.Flush()
		}
	}
	send(map[string]any{"role": "assistant", "content": ""}, nil)
	for i, word := range words {
		if i > 0 {
			word = " " + word
		}
		send(map[string]any{"content": word}, nil)
	}
	send(map[string]any{}, finish)
	fmt.Fprint(w, "data: [DONE]\n\n")
}
