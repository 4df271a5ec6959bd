# gatecrash — build, test, benchmark.
# `make test` is the command CI runs (.ci/run): it installs what the tests
# need (the Node peers' npm packages), then runs vet, staticcheck and the
# race-enabled tests.

GO ?= go
BENCHTIME ?= 1s
BENCHCOUNT ?= 6

.PHONY: build test test-setup lint bench bench-smoke demo clean

build:
	$(GO) build -o bin/gatecrash ./cmd/gatecrash

test-setup:
	./scripts/test-setup

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

test: test-setup lint
	$(GO) test -race -timeout 20m ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(BENCHCOUNT) ./... | tee bench.txt

bench-smoke:
	$(GO) test -run '^$$' -bench . -benchtime 100x -count 1 ./...

demo: build
	./bin/gatecrash run scenarios/quickstart.yaml --out results.json

clean:
	rm -rf bin results.json bench.txt
