# The project's commands; the work is done by the scripts in scripts/.
.PHONY: help demo test serve stop lint bench bench-scale clean

help:
	@echo "make demo   fresh demo database (dataprotect_demo), filled by scripts/demo.py"
	@echo "make serve  Odoo on http://localhost:8069 with the demo database"
	@echo "make test   the tests (pytest-odoo) on a fresh database (dataprotect_test);"
	@echo "           extra pytest arguments: make test PYTEST_ARGS='-k name -x'"
	@echo "make lint   pre-commit run --all-files (OCA 18.0's hooks: prettier, ruff, pylint-odoo, ...)"
	@echo "make bench  the anonymization benchmark (N=20000 orders by default)"
	@echo "make bench-scale  the benchmark at scale: databases of 20,000 and N=1000000"
	@echo "           orders cloned in SQL, the daily run, backlog, screens, coverage, purge"
	@echo "make stop   stop the private PostgreSQL cluster"
	@echo "make clean  stop it and remove .venv, .run, .pg and node_modules"

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh $(PYTEST_ARGS)

serve:
	bash scripts/serve.sh

stop:
	bash scripts/pg.sh stop

lint:
	bash scripts/lint.sh

bench:
	bash scripts/bench.sh $(N)

bench-scale:
	bash scripts/bench-scale.sh $(N)

clean: stop
	rm -rf .venv .run .pg node_modules
