//! Tests of skimming: which items are kept, and that kept code keeps its offsets.

#![allow(clippy::single_range_in_vec_init)] // one defined name per item

use super::*;

fn item(span: Range<usize>, blankable: bool, defines: &[Range<usize>]) -> Item {
    Item {
        aliases: false,
        decorators_end: span.start,
        span,
        blankable,
        defines: defines.to_vec(),
    }
}

#[test]
fn blanks_items_without_needles_keeping_offsets() {
    let text = "a = 1\ndef f():\n    x\ndef g():\n    create()\n";
    let items = [
        item(0..6, false, &[]),
        item(6..21, true, &[10..11]),
        item(21..text.len(), true, &[25..26]),
    ];
    let out = skim(text, &items, &[], &Needles::new(["create"])).expect("skimmed");
    assert_eq!(out.text.len(), text.len());
    assert_eq!(out.text, "a = 1\n        \n     \ndef g():\n    create()\n");
    assert_eq!(
        out.left_out,
        LeftOut::new(["f"], vec![ByteSpan::new(6, 21)])
    );
    assert!(out.left_out.may_define("f") && !out.left_out.may_define("g"));
}

#[test]
fn keeps_definitions_of_names_kept_items_mention() {
    let text = "def h():\n    1\ndef g():\n    create(h())\n";
    let items = [
        item(0..15, true, &[4..5]),
        item(15..text.len(), true, &[19..20]),
    ];
    assert_eq!(skim(text, &items, &[], &Needles::new(["create"])), None);
}

#[test]
fn keeps_what_mentions_an_alias_of_a_needle() {
    let text = "make = x.create\nagain = make\ndef f():\n    again()\ndef g():\n    make\n";
    let alias = |span: Range<usize>, name: Range<usize>| Item {
        aliases: true,
        ..item(span, true, &[name])
    };
    let items = [
        alias(0..16, 0..4),
        alias(16..29, 16..21),
        item(29..49, true, &[33..34]),
        item(49..text.len(), true, &[53..54]),
    ];
    // `again` aliases `make`, which aliases `create`; `g` only mentions `make`, which
    // is not a call, but it is kept as well: keeping more is safe.
    assert_eq!(skim(text, &items, &[], &Needles::new(["create"])), None);
    // Without the alias flag, `make` is a name like any other.
    let plain = [
        item(0..16, true, &[0..4]),
        item(16..29, true, &[16..21]),
        item(29..49, true, &[33..34]),
        item(49..text.len(), true, &[53..54]),
    ];
    let out = skim(text, &plain, &[], &Needles::new(["create"])).expect("skimmed");
    assert_eq!(out.left_out.spans, [ByteSpan::new(16, text.len())]);
}

#[test]
fn a_nul_byte_anywhere_means_no_skimming() {
    let text = "def f():\n    x\0\ndef g():\n    create()\n";
    let items = [
        item(0..16, true, &[4..5]),
        item(16..text.len(), true, &[20..21]),
    ];
    assert_eq!(skim(text, &items, &[], &Needles::new(["create"])), None);
}

#[test]
fn keeps_ranges_inside_blanked_items() {
    let text = "def f():\n    x  # keep\n";
    let items = [item(0..text.len(), true, &[4..5])];
    let out = skim(text, &items, &[16..22], &Needles::new(["create"])).expect("skimmed");
    assert_eq!(out.text, "        \n       # keep\n");
}

#[test]
fn fills_whole_blank_lines_between_kept_ranges() {
    // Two blanked items in a row, a kept comment inside the second, CRLF line breaks,
    // a kept item after them.
    let text = "def f():\r\n    x\r\ndef g():  # keep\r\n    y\r\n\r\n    z\r\nw = 1\r\n";
    let second = text.find("def g").unwrap();
    let comment = text.find("# keep").unwrap();
    let last = text.find("w = 1").unwrap();
    let items = [
        item(0..second, true, &[4..5]),
        item(second..last, true, &[second + 4..second + 5]),
        item(last..text.len(), false, &[]),
    ];
    let filled = |lines: &mut [u8]| {
        assert!(lines.iter().all(|b| b" \r\n".contains(b)), "{lines:?}");
        lines.fill(b'~');
    };
    let keep = [comment..comment + 6];
    let out = skim_filling(text, &items, &keep, &Needles::new(["zzz"]), filled).expect("skimmed");
    // Each stretch runs from a line start to just before a line break: the first
    // ends where the comment's line starts, the second starts on the line after it.
    assert_eq!(
        out.text,
        "~~~~~~~~~~~~~~~~\n          # keep\r\n~~~~~~~~~~~~~~~\nw = 1\r\n"
    );
    assert_eq!(out.text.len(), text.len());
}

#[test]
fn needles_match_whole_words_only() {
    let text = "def f():\n    amount.created_at\ndef g():\n    x.create_async()\n";
    let items = [
        item(0..31, true, &[4..5]),
        item(31..text.len(), true, &[35..36]),
    ];
    let needles = Needles::new(["mount", "create", "create_async"]);
    let out = skim(text, &items, &[], &needles).expect("f is blanked");
    assert_eq!(
        out.left_out,
        LeftOut::new(["f"], vec![ByteSpan::new(0, 31)])
    );
}

#[test]
fn constant_needles_keep_constants_only() {
    let text = "URL = API + \"/v1/checkout/sessions\"\ndef f():\n    return \"sessions\"\n";
    let split = text.find("def").unwrap();
    let items = [
        Item {
            aliases: true,
            ..item(0..split, true, &[0..3])
        },
        item(split..text.len(), true, &[split + 4..split + 5]),
    ];
    let needles = Needles::with_kinds([("sessions", NeedleKind::InConstant)]);
    let out = skim(text, &items, &[], &needles).expect("f is blanked");
    assert_eq!(
        out.left_out,
        LeftOut::new(["f"], vec![ByteSpan::new(split, text.len())])
    );
}

/// Items `f` (0..split) and `g` (split..end, decorated up to `decorated`), skimmed with
/// the needles of Python: is `g` kept?
fn keeps_second(text: &str, split: usize, decorated: usize) -> bool {
    let items = [
        item(0..split, true, &[]),
        Item {
            decorators_end: decorated,
            ..item(split..text.len(), true, &[])
        },
    ];
    let needles = Needles::with_kinds([
        ("create", NeedleKind::Word),
        ("request", NeedleKind::Call),
        ("route", NeedleKind::RouteCall),
        ("post", NeedleKind::PostCall),
    ]);
    match skim(text, &items, &[], &needles) {
        None => true,
        Some(out) => !out.text[split..].trim().is_empty(),
    }
}

#[test]
fn call_needles_keep_calls_only() {
    let f = "def f():\n    x\n";
    let at = f.len();
    for (body, kept) in [
        (
            "def g(request, payload):\n    return request.state\n",
            false,
        ),
        ("def g():\n    return client.request(\"POST\", URL)\n", true),
        ("def g():\n    return (client.post)(URL)\n", true),
        ("def g():\n    return client.post \\\n        (URL)\n", true),
        (
            "def g():\n    return (client.post  # why\n        (URL))\n",
            true,
        ),
        // A method taken is called through the name it is bound to.
        (
            "def g():\n    send = client.post\n    return send(URL)\n",
            true,
        ),
        (
            "def g(request):\n    return request.POST.get(\"a\")\n",
            false,
        ),
        ("def g(self):\n    return self.request.user\n", false),
        (
            "def g():\n    send = requests. \\\n        post\n    return send(URL)\n",
            true,
        ),
        ("def g(request):\n    return request.post_data[0]\n", false),
        ("def g():\n    methods = [\"POST\"]\n", false),
        ("def g():\n    return Route(\"/x\", h)\n", true),
    ] {
        let text = format!("{f}{body}");
        assert_eq!(keeps_second(&text, at, at), kept, "{body}");
    }
}

#[test]
fn route_decorators_do_not_keep_their_function() {
    let f = "def f():\n    x\n";
    let at = f.len();
    for (decorator, body, kept) in [
        (
            "@app.route(\"/x\", methods=[\"POST\"])\n",
            "def g():\n    pass\n",
            false,
        ),
        (
            "@router.post(\"/orders\")\n",
            "def g(request):\n    pass\n",
            false,
        ),
        (
            "@router.post('/orders', tags=[])\n",
            "def g():\n    pass\n",
            false,
        ),
        (
            "@router.post(\"/orders\")\n",
            "def g():\n    create()\n",
            true,
        ),
        // A first argument that could be (or hide) Stripe's endpoint keeps it.
        (
            "@hook(requests.post(\"https://api.stripe.com/v1/checkout/sessions\"))\n",
            "def g():\n    pass\n",
            true,
        ),
        (
            "@hook(requests.post(\"/v1/\" \"checkout/sessions\"))\n",
            "def g():\n    pass\n",
            true,
        ),
        (
            "@hook(requests.post(f\"{BASE}/sessions\"))\n",
            "def g():\n    pass\n",
            true,
        ),
        (
            "@hook(requests.post(\"/v1/\\x63heckout\"))\n",
            "def g():\n    pass\n",
            true,
        ),
        ("@hook(requests.post(URL))\n", "def g():\n    pass\n", true),
        (
            "@hook(requests.request(\"POST\", URL))\n",
            "def g():\n    pass\n",
            true,
        ),
    ] {
        let text = format!("{f}{decorator}{body}");
        let decorated = at + decorator.len();
        assert_eq!(
            keeps_second(&text, at, decorated),
            kept,
            "{decorator}{body}"
        );
    }
}

#[test]
fn needles_match_any_case_and_nothing_blankable_means_no_copy() {
    let text = "fn f() { x.POST() }";
    let items = [item(0..text.len(), true, &[3..4])];
    assert_eq!(skim(text, &items, &[], &Needles::new(["post"])), None);
    let items = [item(0..text.len(), false, &[])];
    assert_eq!(skim(text, &items, &[], &Needles::new(["zzz"])), None);
}
