# The project's commands; the work is done by the scripts in scripts/.
.PHONY: demo test serve stop lint clean

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

serve:
	bash scripts/prepare.sh --db
	cd / && $(CURDIR)/.venv/bin/python -m odoo -c $(CURDIR)/.run/odoo.conf -d dataprotect_demo --db-filter='^dataprotect_demo$$' --log-level=info

stop:
	bash scripts/pg.sh stop

lint:
	bash scripts/lint.sh

clean: stop
	rm -rf .venv .run .pg
