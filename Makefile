# Two set-up commands work on a fresh machine: `make demo` and `make test`.
# Both create .venv in the repository and install sitroom with pinned dependencies into it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= demo.db

.PHONY: install demo test bench eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## demo: install, ingest the bundled example pages into $(DEMO_DB), show what was stored, then serve
## the situation room at http://127.0.0.1:$(DEMO_PORT)/ (Ctrl-C stops it)
DEMO_PORT ?= 8000
demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/sitroom ingest --db $(DEMO_DB) examples/
	$(BIN)/sitroom documents --db $(DEMO_DB)
	$(BIN)/sitroom actors --db $(DEMO_DB) --limit 12
	$(BIN)/sitroom events --db $(DEMO_DB) --sort sources --limit 15
	@echo "--- one record as sitroom extract prints it (first 60 lines; whole record in demo-record.json) ---"
	$(BIN)/sitroom extract examples/text/baku-meeting.txt > demo-record.json
	$(BIN)/python -m json.tool --no-ensure-ascii demo-record.json | sed -n 1,60p
	@echo "--- the situation room: open http://127.0.0.1:$(DEMO_PORT)/ (Ctrl-C stops the server) ---"
	$(BIN)/sitroom serve --db $(DEMO_DB) --port $(DEMO_PORT)

## test: install and run the test suite (no network, no ../shared needed)
test: install
	$(BIN)/python -m pytest -q

## eval: the public benchmarks in ../shared/data (each says so when the data is absent)
eval: install
	-$(BIN)/sitroom eval extraction
	-$(BIN)/sitroom eval ner
	-$(BIN)/sitroom eval actors
	-$(BIN)/sitroom eval time
	-$(BIN)/sitroom eval geo
	-$(BIN)/sitroom eval events
	-$(BIN)/sitroom eval fusion

## bench: the evaluations, then the store at scale (BENCH_EVENTS synthetic reports; 1M takes ~40 min)
BENCH_EVENTS ?= 1000000
bench: eval
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/ingest_rate.py
	$(BIN)/python bench/scaling.py
	$(BIN)/python bench/store_scale.py --events $(BENCH_EVENTS) --db /tmp/sitroom-scale.db

clean:
	rm -rf $(VENV) *.egg-info $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo-record.json
