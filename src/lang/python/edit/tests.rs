//! Unit tests of the Python editor: layouts of calls, dicts and imports.

use super::*;
use crate::lang::layout::apply;

fn with_argument(text: &str) -> String {
    let editor = PythonEditor::new(text).expect("parses");
    let at = text.find("create(").expect("a call");
    let end = text.rfind(')').expect("its end") + 1;
    let splices = editor.add_argument(at, end, "k", "v").expect("the call");
    apply(text, splices)
}

#[test]
fn a_multi_line_call_gets_a_line_before_its_closing_parenthesis() {
    let text = "x = create(\n    a=1,\n    b=2,  # two\n)\n";
    assert_eq!(
        with_argument(text),
        "x = create(\n    a=1,\n    b=2,  # two\n    k=v,\n)\n"
    );
    let text = "x = create(\n\ta=1\n)\n";
    assert_eq!(with_argument(text), "x = create(\n\ta=1,\n\tk=v,\n)\n");
    let text = "x = create(\r\n    **p\r\n)\r\n";
    assert_eq!(
        with_argument(text),
        "x = create(\r\n    **p,\r\n    k=v,\r\n)\r\n"
    );
}

#[test]
fn a_one_line_call_gets_an_argument_on_its_line() {
    assert_eq!(with_argument("create(a=1)\n"), "create(a=1, k=v)\n");
    assert_eq!(with_argument("create(a=1,)\n"), "create(a=1, k=v,)\n");
    assert_eq!(with_argument("create()\n"), "create(k=v)\n");
    assert_eq!(
        with_argument("create(a=1,\n       b=2)\n"),
        "create(a=1,\n       b=2,\n       k=v)\n"
    );
}

#[test]
fn a_dict_gets_an_entry_in_its_quotes() {
    let text = "p = {'a': 1}\n";
    let editor = PythonEditor::new(text).unwrap();
    let start = text.find('{').unwrap();
    let splices = editor
        .add_entry(start, text.find('}').unwrap() + 1, "k", "v")
        .unwrap();
    assert_eq!(apply(text, splices), "p = {'a': 1, 'k': v}\n");
    // No string key to follow: double quotes, but not inside a double-quoted f-string's
    // braces (a syntax error before Python 3.12).
    let entry = |text: &str| {
        let editor = PythonEditor::new(text).unwrap();
        let (start, end) = (text.find("{a").unwrap(), text.find("1}").unwrap() + 2);
        apply(text, editor.add_entry(start, end, "k", "v").unwrap())
    };
    assert_eq!(entry("p = {a: 1}\n"), "p = {a: 1, \"k\": v}\n");
    assert_eq!(
        entry("p = f\"{ {a: 1} }\"\n"),
        "p = f\"{ {a: 1, 'k': v} }\"\n"
    );
    assert_eq!(
        entry("p = rf'{ {a: 1} }'\n"),
        "p = rf'{ {a: 1, \"k\": v} }'\n"
    );
    // The quote of the f-string part that holds the dict, not of the first part.
    assert_eq!(
        entry("p = \"x\" f'{ {a: 1} }'\n"),
        "p = \"x\" f'{ {a: 1, \"k\": v} }'\n"
    );
    // Inside f-strings of both quotes, no quote is left: no edit.
    let text = "p = f\"{ f'{ {a: 1} }' }\"\n";
    let editor = PythonEditor::new(text).unwrap();
    let (start, end) = (text.find("{a").unwrap(), text.find("1}").unwrap() + 2);
    assert!(editor.add_entry(start, end, "k", "v").is_none());
}

#[test]
fn imports_go_where_isort_puts_them_and_never_twice() {
    let text = "\"\"\"Doc.\"\"\"\n\nfrom __future__ import annotations\n\nimport logging\nfrom datetime import date\n\nimport stripe\n\nfrom app.config import settings\nfrom app.db import get_db\n";
    let editor = PythonEditor::new(text).unwrap();
    let (name, time) = editor.import_module("time").unwrap();
    assert_eq!(name, "time");
    let (constant, joined) = editor.import_name("app", "app.config", "TTL");
    assert_eq!(constant, "TTL");
    let out = apply(text, vec![time.unwrap(), joined.unwrap()]);
    assert!(
        out.contains("import logging\nimport time\nfrom datetime import date\n"),
        "{out}"
    );
    assert!(
        out.contains("from app.config import TTL, settings\n"),
        "{out}"
    );

    let editor = PythonEditor::new("import time as t\nfrom app.config import TTL as T\n").unwrap();
    assert_eq!(editor.import_module("time"), Some(("t".to_string(), None)));
    assert_eq!(
        editor.import_name("app", "app.config", "TTL"),
        ("T".to_string(), None)
    );
}

#[test]
fn a_name_from_a_new_module_goes_among_its_package_or_in_a_block_of_its_own() {
    let text = "import stripe\n\nfrom app.db import get_db\nfrom app.models import Order\n";
    let editor = PythonEditor::new(text).unwrap();
    let (_, splice) = editor.import_name("app", "app.config", "TTL");
    let out = apply(text, vec![splice.unwrap()]);
    assert_eq!(out, "import stripe\n\nfrom app.config import TTL\nfrom app.db import get_db\nfrom app.models import Order\n");
    let text = "import stripe\n";
    let editor = PythonEditor::new(text).unwrap();
    let (_, splice) = editor.import_name("app", "app.config", "TTL");
    assert_eq!(
        apply(text, vec![splice.unwrap()]),
        "import stripe\n\nfrom app.config import TTL\n"
    );
    let (_, splice) = editor.import_name("app", "app.config", "TTL");
    let with_as = "import stripe\nfrom app.config import settings as s\n";
    let editor = PythonEditor::new(with_as).unwrap();
    let (_, splice2) = editor.import_name("app", "app.config", "TTL");
    assert_eq!(
        apply(with_as, vec![splice2.unwrap()]),
        "import stripe\nfrom app.config import TTL\nfrom app.config import settings as s\n"
    );
    drop(splice);
}

#[test]
fn a_statement_is_appended_as_a_paragraph() {
    let editor = PythonEditor::new("x = 1\n").unwrap();
    let splice = editor.append_statement(&["Y = 2".to_string()]);
    assert_eq!(apply("x = 1\n", vec![splice]), "x = 1\n\n\nY = 2\n");
    let editor = PythonEditor::new("x = 1").unwrap();
    let splice = editor.append_statement(&["Y = 2".to_string()]);
    assert_eq!(apply("x = 1", vec![splice]), "x = 1\n\n\nY = 2\n");
}

#[test]
fn imports_never_land_after_code_or_above_a_shebang() {
    let text = "import stripe\n\nS = 1\n\nimport os\n";
    let editor = PythonEditor::new(text).unwrap();
    let (_, splice) = editor.import_module("time").unwrap();
    assert_eq!(
        apply(text, vec![splice.unwrap()]),
        "import time\n\nimport stripe\n\nS = 1\n\nimport os\n"
    );
    let text = "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\ndef f():\n    pass\n";
    let editor = PythonEditor::new(text).unwrap();
    let (_, splice) = editor.import_module("time").unwrap();
    assert!(apply(text, vec![splice.unwrap()])
        .starts_with("#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport time\n"));
    let editor = PythonEditor::new("def time():\n    return 0\n").unwrap();
    assert_eq!(
        editor.import_module("time"),
        None,
        "a module-level `time` would shadow it"
    );
}

#[test]
fn a_relative_import_of_the_module_is_the_same_import() {
    let text = "from .config import TTL as T\nfrom .db import x\n";
    let editor = PythonEditor::new(text).unwrap();
    assert_eq!(
        editor.import_name("app", "app.config", "TTL"),
        ("T".to_string(), None)
    );
    let (_, splice) = editor.import_name("app", "app.db", "TTL");
    assert_eq!(
        apply(text, vec![splice.unwrap()]),
        "from .config import TTL as T\nfrom .db import TTL, x\n"
    );
    let star = "from app.config import *\n";
    let editor = PythonEditor::new(star).unwrap();
    assert!(
        editor.import_name("app", "app.config", "TTL").1.is_some(),
        "`*` may not export it"
    );
}

#[test]
fn a_naive_clock_is_made_aware_unless_timezone_means_something_else() {
    let text = "from datetime import datetime\n\nx = datetime.utcnow(  # utc\n)\n";
    let editor = PythonEditor::new(text).unwrap();
    let splices = editor.aware_clocks("", 0, text.len()).unwrap();
    assert_eq!(
        apply(text, splices),
        "from datetime import datetime, timezone\n\nx = datetime.now(timezone.utc  # utc\n)\n"
    );
    let text =
        "from datetime import datetime\nfrom pytz import timezone\n\nx = datetime.utcnow()\n";
    let editor = PythonEditor::new(text).unwrap();
    assert!(
        editor.aware_clocks("", 0, text.len()).is_none(),
        "pytz's `timezone` would be shadowed"
    );
    let text = "import datetime as dt\n\nx = dt.datetime.now()\n";
    let editor = PythonEditor::new(text).unwrap();
    let splices = editor.aware_clocks("", 0, text.len()).unwrap();
    assert_eq!(
        apply(text, splices),
        "import datetime as dt\n\nx = dt.datetime.now(dt.timezone.utc)\n"
    );
}

fn in_seconds(text: &str, value: &str, per_second: i64) -> Option<String> {
    let editor = PythonEditor::new(text).expect("parses");
    let start = text.find(value).expect("the value");
    let splices = editor.seconds(start, start + value.len(), per_second)?;
    Some(apply(text, splices))
}

#[test]
fn a_scaled_clock_is_read_in_seconds() {
    let text = "import time\nx = int(time.time() * 1000) + T\n";
    assert_eq!(
        in_seconds(text, "int(time.time() * 1000) + T", 1_000).unwrap(),
        "import time\nx = int(time.time()) + T\n"
    );
    // Parentheses the product needed go with it; others stay.
    let text = "import time\nx = int((time.time() + T) * 1e3)\ny = 2 * (3 * 1000)\n";
    assert_eq!(
        in_seconds(text, "int((time.time() + T) * 1e3)", 1_000).unwrap(),
        "import time\nx = int(time.time() + T)\ny = 2 * (3 * 1000)\n"
    );
    let text = "import time\nx = (time.time() + T) * 1000 + 0\n";
    assert_eq!(
        in_seconds(text, "(time.time() + T) * 1000 + 0", 1_000).unwrap(),
        "import time\nx = (time.time() + T) + 0\n"
    );
    let text = "import time as t\nx = t.time_ns() + T\ny = int(t.time_ns()) + T\n";
    let x = in_seconds(text, "t.time_ns() + T", 1_000_000_000).unwrap();
    assert_eq!(
        x,
        "import time as t\nx = int(t.time()) + T\ny = int(t.time_ns()) + T\n"
    );
    let y = in_seconds(text, "int(t.time_ns()) + T", 1_000_000_000).unwrap();
    assert_eq!(
        y,
        "import time as t\nx = t.time_ns() + T\ny = int(t.time()) + T\n"
    );
}

#[test]
fn a_value_without_a_scaling_of_its_unit_is_not_rewritten() {
    let text = "import time\nx = now_ms + T\ny = int(time.time() * 60) + T\n";
    assert_eq!(in_seconds(text, "now_ms + T", 1_000), None);
    assert_eq!(in_seconds(text, "int(time.time() * 60) + T", 1_000), None);
    // Nanoseconds are not read from a `* 1000`, nor `time_ns` another module's.
    let text = "from clocks import time\nx = time.time_ns() * 1000\n";
    assert_eq!(
        in_seconds(text, "time.time_ns() * 1000", 1_000_000_000),
        None
    );
}

#[test]
fn an_operand_is_parenthesised_unless_atomic() {
    let text = "x = f(a.b, c[0], d(), e if f else g, h + i)\n";
    let editor = PythonEditor::new(text).unwrap();
    let operand = |needle: &str| {
        let start = text.find(needle).unwrap();
        editor.operand(start, start + needle.len())
    };
    assert_eq!(operand("a.b"), "a.b");
    assert_eq!(operand("c[0]"), "c[0]");
    assert_eq!(operand("d()"), "d()");
    assert_eq!(operand("e if f else g"), "(e if f else g)");
    assert_eq!(operand("h + i"), "(h + i)");
}
