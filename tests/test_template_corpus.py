"""A corpus of hostile print templates: the Jinja2 sandbox escape classes (str.format and
format_map on attributes, __mro__ / __subclasses__ walks, __globals__ through cycler,
joiner, namespace, lipsum and macros), resource abuse and repr leaks. Every one is
refused with a TemplateFailed naming the reason, or renders harmless text; no output
ever holds a class, function or object repr, nor anything from outside the data."""

from __future__ import annotations

import re

import pytest

from motcua.printing.templating import (
    SANDBOX_GLOBALS,
    TemplateFailed,
    compile_source,
    plain_data,
    render_limited,
    sandboxed_environment,
)

CONTEXT = {"ho_ten": "Nguyễn Văn An", "so_ban": 2, "record": {"code": "07795-261202-0001"},
           "items": [1, 2, 3], "ngay": "2026-12-02"}

# Each: (template, what must never be in the output if it renders).
HOSTILE = [
    # str.format / format_map on attributes (CVE-2016-10745, CVE-2019-10906, CVE-2024-56326)
    "{{ '{0.__class__}'.format(ho_ten) }}",
    "{{ '{0.__class__.__mro__}'.format(ho_ten) }}",
    "{{ '{x.__class__}'.format_map({'x': ho_ten}) }}",
    "{% set f = '{0.__class__}'.format %}{{ f(ho_ten) }}",
    "{% set f = '{0.__init__.__globals__}'.format %}{{ f(range) }}",
    "{{ '%s'|format(range) }}",
    "{{ '{0!r}'.format(range) }}",
    "{{ ho_ten.format.__self__ }}",
    # __mro__ / __subclasses__ walks
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''['__class__']['__mro__'] }}",
    "{{ ho_ten|attr('__class__') }}",
    "{{ items.__class__.__base__.__subclasses__() }}",
    "{{ record.__class__ }}",
    "{{ record['__class__'] }}",
    "{{ (1).__class__.__subclasses__() }}",
    "{{ so_ban.real.__class__ }}",
    "{{ items.pop() }}",
    "{{ record.update({'code': 'x'}) }}",
    "{{ record.clear() }}",
    # cycler / joiner / namespace / lipsum / dict: not there at all
    "{{ cycler.__init__.__globals__.os }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{% set ns = namespace(x=1) %}{% set ns.x = 2 %}{{ ns.x }}",
    "{{ cycler('a', 'b').next() }}",
    "{{ dict(a=1) }}",
    "{{ range.__init__.__globals__ }}",
    "{{ range.__call__.__globals__ }}",
    # Jinja internals printed or walked
    "{% for x in items %}{{ loop }}{% endfor %}",
    "{% for x in items %}{{ loop.cycle }}{% endfor %}",
    "{% for x in items %}{{ loop|string }}{% endfor %}",
    "{{ self }}",
    "{{ self._TemplateReference__context }}",
    "{% macro m() %}x{% endmacro %}{{ m }}",
    "{% macro m() %}x{% endmacro %}{{ m.__globals__ }}",
    "{% macro m() %}x{% endmacro %}{{ m ~ '' }}",
    "{% macro m() %}x{% endmacro %}{{ [m]|join(',') }}",
    "{{ range }}",
    "{{ range|string }}",
    "{{ range ~ '' }}",
    "{{ range(3) }}",
    "{{ [range]|list }}",
    "{{ {'f': range} }}",
    "{{ ho_ten.upper }}",
    "{{ ho_ten.upper|string }}",
    "{{ items.append }}",
    # files, modules, configuration: nothing to reach
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% extends 'base.html' %}",
    "{% from 'x' import y %}",
    "{{ config }}{{ request }}{{ g }}{{ session }}",
    "{{ __builtins__ }}",
    "{{ ().__class__.__bases__[0] }}",
    # resource abuse
    "{{ 'x' * 1000000000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ range(100001)|list|length }}",
    "{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}",
    "{% for i in range(100000) %}{% for j in range(100) %}xxxxxxxxxxxx{% endfor %}{% endfor %}",
]
LEAKS = re.compile(r"class |function |method |object at|0x[0-9a-f]{6}|Macro|LoopContext|TemplateReference"
                   r"|jinja2|root:|/bin/|__|globals", re.IGNORECASE)
REPRS = re.compile(r"0x[0-9a-f]{6}|<class|<function|&lt;|__|root:")


def _render(source: str) -> str:
    env = sandboxed_environment()
    return render_limited(compile_source(env, source), plain_data(CONTEXT))


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) >= 40


@pytest.mark.parametrize("source", HOSTILE)
def test_a_hostile_template_is_refused_or_harmless(source):
    try:
        output = _render(source)
    except TemplateFailed as refusal:
        message = refusal.text.render("en")
        assert message and not REPRS.search(message.split("(")[0]), message
        return
    assert not LEAKS.search(output), f"{source!r} printed {output[:200]!r}"
    assert CONTEXT["record"]["code"] == "07795-261202-0001"  # the data was not changed


def test_only_our_own_globals_are_there():
    env = sandboxed_environment()
    assert set(env.globals) == set(SANDBOX_GLOBALS) == {"range"}
    assert _render("{% for i in range(3) %}{{ i }}{% endfor %}") == "012"


@pytest.mark.parametrize("source, expected", [
    ("{{ ho_ten }} ({{ so_ban }} bản)", "Nguyễn Văn An (2 bản)"),
    ("{{ items|join(', ') }}", "1, 2, 3"),
    ("{{ items }}", "[1, 2, 3]"),
    ("{{ record.code }}", "07795-261202-0001"),
    ("{{ missing }}", ""),
    ("{{ '<b>' ~ ho_ten }}", "&lt;b&gt;Nguyễn Văn An"),
])
def test_plain_data_still_prints(source, expected):
    assert _render(source) == expected
