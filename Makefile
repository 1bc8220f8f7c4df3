# The documented entry points. `make book` and `make test` are the two commands in README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HIZONES_OUTPUT := book
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: book book-en book-zh test validate execute lab clean env pdf pdf-zh student student-zh bench format answers \
	catalogues screenshots

## env: create or refresh .venv from requirements.txt (only when the requirements change)
env: $(STAMP)
$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	# jsonschema's optional IRI format check (pulled in for jupyter-events; no book code uses it)
	# compiles 39 grammars on import: 0.7 s in every kernel and build process. pip check stays clean.
	$(PY) -m pip uninstall -y -q rfc3987-syntax
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

## validate: check every data file; exits non-zero naming the file, row and field
validate: $(STAMP)
	$(PY) -m hizones validate

## book: validate the data, execute the chapters (cached) and build both editions, warnings as errors:
## English in _build/html, Chinese in _build/zh/html (each page links to the other edition's)
book: book-en book-zh

book-en: validate
	$(VENV)/bin/jupyter-book build . -W -n --keep-going
	@echo "Book written to _build/html/index.html"

## book-zh: the Chinese edition alone (_build/zh/html), from the same notebooks and locales/zh_CN
book-zh: validate
	$(PY) -m hizones build zh_CN

## catalogues: bring locales/zh_CN up to date with the English (new and changed texts to translate)
catalogues: book-en
	$(PY) -m hizones catalogues

## pdf: the whole book as one PDF (_build/pdf/book.pdf), charts and Chinese text included;
## needs Debian's chromium and fonts-noto-cjk (see README.md)
pdf: validate
	$(VENV)/bin/jupyter-book build . --builder singlehtml -W -n --keep-going
	$(PY) -m hizones pdf _build/singlehtml _build/pdf/book.pdf

## pdf-zh: the Chinese edition as one PDF (_build/pdf/book-zh.pdf)
pdf-zh: validate
	$(PY) -m hizones build zh_CN --builder singlehtml
	$(PY) -m hizones pdf _build/zh/singlehtml _build/pdf/book-zh.pdf

## answers: the instructor's answer sheet, generated from the executed solutions: the page
## teaching/answers.html of the book and, one chapter to a page, _build/answers/answers.pdf
answers: book
	$(PY) -m hizones pdf _build/html _build/answers/answers.pdf teaching/answers.html
	@echo "Answer sheet: _build/html/teaching/answers.html and _build/answers/answers.pdf"

## student: the student edition, every exercise without its solution and without the teaching
## pages, in _build/student/_build/html; the notebooks for students (glued values written in,
## an answer cell and a self-check after each exercise) in _build/student/notebooks
student: validate
	$(PY) -m hizones student-toc _build/student/_toc.yml
	HIZONES_EDITION=student $(VENV)/bin/jupyter-book build . -W -n --keep-going --path-output _build/student \
	  --toc _build/student/_toc.yml
	@echo "Student edition written to _build/student/_build/html/index.html"

## student-zh: the Chinese student edition (_build/student/zh/html)
student-zh: validate
	$(PY) -m hizones build zh_CN --student

## test: data validation, bounds arithmetic, strict nbval of every chapter, strict book build
test: $(STAMP)
	$(PY) -m pytest

## screenshots: every page of both editions, whole, at desktop and phone width, in _build/screenshots
## (make test keeps each page's first screen and each chart there)
screenshots: book
	$(PY) -m tests.visits

## execute: re-execute every chapter in place, refreshing the outputs stored for nbval and the
## self-check answers gathered from them (chapters/answers.json)
execute: validate
	$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace chapters/*.ipynb
	$(PY) -m hizones answers

## format: format the chapters' code (ruff, 79 characters a line; make test checks it)
format: $(STAMP)
	$(VENV)/bin/ruff format chapters/

## lab: open the chapters in JupyterLab from the same environment
lab: $(STAMP)
	env -u HIZONES_OUTPUT $(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) chapters/

## bench: build, test, page-weight and chart-render figures against a bare Jupyter Book, printed
## as a table and written to _build/bench/bench.json (bench/README.md); BENCH_RUNS=3 by default
bench: $(STAMP)
	$(PY) bench/run.py

clean:
	rm -rf _build
