//! Tests of cutting Python files into items, filling blank lines and finding names in
//! left-out text.

use super::*;
use crate::facts::ByteSpan;

fn cut(text: &str) -> Vec<(&str, bool, Vec<&str>)> {
    items(text)
        .expect("lexed")
        .0
        .into_iter()
        .map(|item| {
            (
                &text[item.span],
                item.blankable,
                item.defines.into_iter().map(|r| &text[r]).collect(),
            )
        })
        .collect()
}

#[test]
fn statements_decorators_and_definitions() {
    let text = "\"\"\"Doc.\n\ndef not_code():\n\"\"\"\nimport x\n\n@app.post(\"/a\")\n\
                async def handler(\n    a,\n):\n    return a\n\n# note\nclass C:\n    def m(self): ...\n";
    let cut = cut(text);
    assert_eq!(cut.len(), 4, "{cut:?}");
    assert!(!cut[0].1 && cut[0].0.starts_with("\"\"\"Doc."));
    assert_eq!(cut[1], ("import x\n\n", false, vec!["x"]));
    assert!(cut[2].1 && cut[2].0.starts_with("@app.post"));
    assert_eq!(cut[2].2, vec!["handler"]);
    assert_eq!(cut[3].2, vec!["C", "m"]);
}

#[test]
fn blank_lines_become_string_statements_that_parse() {
    use ruff_text_size::Ranged;
    let text = "import stripe\n\ndef f():\n    return 1\n\n\nclass C:  # checkout-lint: ignore[CL001]\n\
                \x20   def m(self):\n        pass\n\n\ndef g():\n    stripe.checkout.Session.create()\n";
    let (items, comments) = items(text).expect("lexed");
    let needles = crate::lang::skim::Needles::new(["create"]);
    let skimmed = crate::lang::skim::skim_filling(text, &items, &comments, &needles, one_string)
        .expect("f and C are left out");
    assert_eq!(skimmed.text.len(), text.len());
    let g = text.find("def g").unwrap();
    assert_eq!(skimmed.text[g..], text[g..]);
    let parsed = ruff_python_parser::parse_module(&skimmed.text).expect("parses");
    let kinds: Vec<&str> = parsed
        .suite()
        .iter()
        .map(|statement| match statement {
            ruff_python_ast::Stmt::Import(_) => "import",
            ruff_python_ast::Stmt::Expr(e) if e.value.is_string_literal_expr() => "string",
            ruff_python_ast::Stmt::FunctionDef(_) => "def",
            _ => "other",
        })
        .collect();
    // The blank lines of `f`, then those of `C` after its kept comment's line.
    assert_eq!(kinds, ["import", "string", "string", "def"]);
    let comment = parsed
        .tokens()
        .iter()
        .find(|t| t.kind() == ruff_python_ast::token::TokenKind::Comment)
        .expect("the suppression is still a comment");
    assert_eq!(
        &text[comment.range().start().to_usize()..comment.range().end().to_usize()],
        "# checkout-lint: ignore[CL001]"
    );
}

#[test]
fn a_long_chain_of_aliases_is_followed_in_one_pass() {
    // Linear, not a pass per link: 20 000 links would take minutes otherwise.
    let mut text = String::from("import stripe\nA0 = stripe.checkout.Session.create\n");
    for link in 1..20_000 {
        text.push_str(&format!("A{link} = A{}\n", link - 1));
    }
    text.push_str("def f():\n    A19999(mode=\"payment\")\n\ndef g():\n    pass\n");
    let (items, comments) = items(&text).expect("lexed");
    let needles = crate::lang::skim::Needles::new(["create"]);
    let skimmed =
        crate::lang::skim::skim(&text, &items, &comments, &needles).expect("g is left out");
    let g = text.find("def g").unwrap();
    assert_eq!(skimmed.left_out.spans, [ByteSpan::new(g, text.len())]);
}

#[test]
fn other_statements_list_the_names_they_may_bind() {
    let text = "from a.b import (c as d,  # note\n    e)\nimport f.g as h\n\
                try:\n    import k\nexcept ImportError:\n    k = None\n";
    let cut = cut(text);
    assert_eq!(cut[0].2, ["c", "d", "note", "e"]);
    assert_eq!(cut[1].2, ["f", "g", "h"]);
    // `except` at column 0 starts a statement of its own.
    assert_eq!(cut[2].2, ["k"]);
    assert_eq!(cut[3].2, ["ImportError", "k"]);
    assert!(cut.iter().all(|(_, blankable, _)| !blankable));
}

#[test]
fn a_wrapper_imported_as_it_is_and_not_called_is_not_called_unseen() {
    let names = ["pay".to_string()];
    let unseen =
        |text: &str, left_out: &[ByteSpan]| may_call_unseen(text.as_bytes(), &names, left_out);
    let plain = "from billing import (\n    pay,\n    refund)\nfrom b import x, pay\n";
    assert!(!unseen(plain, &[]));
    assert!(!unseen(
        "from billing import pay  # noqa\npayment = 1\n",
        &[]
    ));
    // Called in a left-out item; imported under another name; bound to another name.
    assert!(unseen(
        "from billing import pay\ndef f():\n    pay()\n",
        &[ByteSpan::new(24, 41)]
    ));
    assert!(unseen("from billing import pay as begin\n", &[]));
    assert!(unseen("from billing import pay\nbegin = pay\n", &[]));
    assert!(unseen("from billing import (x,  # pay\n    pay)\n", &[]));
    // Not an import list: a line break outside its bracket, or a second bracket.
    assert!(unseen(
        "from billing import pay\nfor f in (pay,):\n    pass\n",
        &[]
    ));
    assert!(unseen(
        "from billing import pay\nregister(x,\n    pay)\n",
        &[]
    ));
    assert!(!unseen("from billing import x, \\\n    pay\n", &[]));
}

#[test]
fn nested_fstring_quotes_and_format_specs() {
    let text = "x = f\"{d[\"k\"]:>{w}} {y!r} {'}'}\"\ndef f():\n    pass\n";
    let cut = cut(text);
    assert_eq!(cut.len(), 2, "{cut:?}");
    assert_eq!(cut[1].2, vec!["f"]);
}

#[test]
fn continuations_and_global_declarations() {
    let cut = cut("x = 1 + \\\n2\ndef f():\n    global x\n    x = 2\n");
    assert_eq!(cut.len(), 2);
    assert!(!cut[1].1, "a def that declares a global is kept");
}

#[test]
fn plain_module_constants_are_blankable_and_define_their_name() {
    let text = "A = {\"k\": (1, 2)}\nB: int = 3\nC = D = 4\nE = dict(k=1)\nF = 1; G = 2\n\
                H.x = 5\nI == 6\nJ += 7\nif A:\n    K = 8\nelse:\n    K = 9\n\
                try:\n    L = 1\nfinally:\n    L = 2\nM = lambda v: v\nN = stripe.checkout.Session\n\
                O: type = checkout . Session  # alias\nP = True\nQ = (\n    stripe.checkout.Session\n)\n\
                R = \\\n    stripe.checkout.Session\nT = (  # the class\n    stripe.checkout.Session\n)\n\
                U = make(x)\n";
    let blankable: Vec<(String, Vec<&str>)> = cut(text)
        .into_iter()
        .filter(|(_, blankable, _)| *blankable)
        .map(|(code, _, names)| (code.trim_end().to_string(), names))
        .collect();
    assert_eq!(
        blankable,
        [
            ("A = {\"k\": (1, 2)}".to_string(), vec!["A"]),
            ("B: int = 3".to_string(), vec!["B"]),
            ("M = lambda v: v".to_string(), vec!["M"]),
            ("U = make(x)".to_string(), vec!["U"]),
        ]
    );
}

#[test]
fn unterminated_strings_and_brackets_give_nothing() {
    assert!(items("x = (1,\n").is_none());
    assert!(items("x = 'abc\n").is_none());
    assert!(items("x = \"\"\"abc\n").is_none());
}
