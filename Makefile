# The README's commands. Each target does its own set-up and reuses what is there.
SETTINGS ?= [{}]
BENCH_ARGS ?=

.PHONY: run test setup lint validate train crossval tune-intents eval-holdout eval-writes eval-nlu eval-plans eval-risk bench bench-db bench-import bench-nlu digest-preview clean

run:            ## set up and start the assistant (action server + Rasa server)
	scripts/run.sh

test:           ## every test: pytest (SQLite + PostgreSQL), rasa data validate, rasa test, live servers
	scripts/test.sh

setup:          ## set up without starting anything
	scripts/setup.sh --demo

lint:           ## ruff (pyflakes, bugbear, import order, complexity) and mypy
	.venv/bin/ruff check actions reconnect tests scripts
	.venv/bin/mypy

validate:
	.venv/bin/rasa data validate

crossval:       ## NLU cross-validation (5 folds); report in results/crossval
	bash -c 'source scripts/common.sh && ensure_venv && ensure_language_models'
	.venv/bin/rasa test nlu --nlu data/nlu --cross-validation --folds 5 --out results/crossval

tune-intents:   ## quick intent-only cross-validation of feature weights: make tune-intents SETTINGS='[{"minilm": 0.7}]'
	bash -c 'source scripts/common.sh && ensure_venv && ensure_language_models'
	.venv/bin/python scripts/tune_intents.py '$(SETTINGS)'

eval-holdout:   ## the held-out set of exchanges that write: every row scored, fails on any row invented (CI runs it after make test)
	bash -c 'source scripts/common.sh && ensure_venv && ensure_language_models && ensure_model'
	.venv/bin/python scripts/eval_writes.py --set tests/frozen/writes_holdout.yml

eval-writes:    ## play the frozen sets of exchanges that write (tests/frozen/writes*.yml) and print their scores
	bash -c 'source scripts/common.sh && ensure_venv && ensure_language_models && ensure_model'
	.venv/bin/python scripts/eval_writes.py

eval-nlu:       ## parse the frozen message set (tests/frozen/nlu_messages.yml) with the trained model: acts right, asks, acts wrongly
	bash -c 'source scripts/common.sh && ensure_venv && ensure_language_models && ensure_model'
	.venv/bin/python scripts/eval_nlu.py

eval-plans:     ## read the frozen plan sentences (tests/frozen/plans.yml) and print the share read exactly
	.venv/bin/python scripts/eval_plans.py

eval-risk:      ## the risk detector on the frozen risk set (tests/frozen/risk_messages.yml): recall and false alarms
	bash -c 'source scripts/common.sh && ensure_venv && ensure_language_models && ensure_model'
	.venv/bin/python scripts/eval_risk.py --model models/reconnect.tar.gz

bench:          ## Reconnect beside a plain `rasa init` bot: start, memory, latency, load, a long conversation, profile
	bash -c 'source scripts/common.sh && ensure_venv && ensure_language_models && ensure_model'
	.venv/bin/python scripts/bench.py $(BENCH_ARGS)

bench-db:       ## a clinic group (500 therapists, 20,000 clients, 2,000,000 appointments): query p95 on SQLite and PostgreSQL, import time and memory
	.venv/bin/python scripts/bench_db.py $(BENCH_ARGS)

bench-import:   ## import 100,000 appointments and print the figures
	.venv/bin/python scripts/bench_import.py

bench-nlu:      ## parse the dialogue tests' messages with the trained model and print the figures
	.venv/bin/python scripts/bench_nlu.py

digest-preview: ## print today's Slack morning digests without sending or recording them
	.venv/bin/reconnect digest --dry-run

clean:          ## remove trained models, local databases and results (keeps .venv)
	rm -rf models/reconnect.tar.gz models/.trained-stamp var results
