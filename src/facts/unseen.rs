//! What could not be followed at a call site whose arguments cannot be seen (CL007): the
//! names and short excerpts of code a front end or the analysis met, never a sentence. How
//! to say it, and how to make the site verifiable, is `rules::cl007_unverifiable_call_site`'s.
//!
//! Knows no syntax and no Stripe: a front end fills it in, the rule words it.

/// What stands between a call site and its arguments.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Unseen {
    /// The arguments come from `name`, a parameter of the enclosing `function`.
    Parameter { name: String, function: String },
    /// The arguments come from `name` (`**kwargs`, or a parameter) of a method or a nested
    /// function (`enclosing`: of the function around this one), whose callers cannot be
    /// followed.
    MethodParameter { name: String, enclosing: bool },
    /// A thin wrapper forwards its arguments into `api`, and nothing in the project calls it.
    UncalledWrapper { wrapper: String, api: String },
    /// A local (`params`) whose making this function does not show.
    Local { name: String },
    /// A name imported from another module.
    Imported { name: String },
    /// A name the file does not define.
    Undefined { name: String },
    /// A name bound by something other than an assignment: `how` names the syntax (`a loop
    /// variable`).
    BoundBy { name: String, how: &'static str },
    /// A name bound to something that is not a mapping.
    NotAMapping { name: String },
    /// The arguments come from an expression (a call, an attribute, `*args`): its excerpt.
    Expression { excerpt: String },
    /// A mapping changed after it was made, in a way that cannot be followed.
    Changed { name: String, how: Change },
    /// A key computed at run time.
    ComputedKey { excerpt: String },
    /// An element of a list of pairs that is not a (key, value) pair.
    NotAPair { excerpt: String },
    /// An expression nested deeper than the front end follows.
    TooDeep { excerpt: String },
    /// `expires_at` is set, then something may overwrite it: what (`None`: a mapping merged
    /// in afterwards).
    Overwritten { by: Option<Box<Unseen>> },
    /// A project function whose returned mapping cannot be read (`known`: it is a project
    /// function, whose returns are not mappings the front end can read).
    Helper { name: String, known: bool },
    /// A project function returns a mapping that it does not build itself.
    HelperForwards { name: String },
    /// The create function handed on as a value (`written` as code spells it).
    CreateAsValue { written: String },
    /// A request builder whose type nothing declares: its excerpt and where it comes from.
    Builder {
        excerpt: String,
        from: BuilderOrigin,
    },
    /// A macro whose tokens are not code the front end can read.
    Macro { name: String },
    /// The form or body of a raw request, which cannot be read: its excerpt.
    Body { excerpt: String },
    /// A form struct literal takes its remaining fields from elsewhere (`..base`).
    BodyRest,
    /// A `format!` body without a literal format string, or whose arguments cannot be read.
    FormatBody,
    /// The expiry placeholder of a `format!` body has no argument.
    FormatPlaceholder { param: String },
    /// The request's body differs between the paths that lead to where it is sent.
    BodyDiffers,
    /// The request is built on some paths only.
    BuiltOnSomePaths,
    /// The request is built here and sent where the front end cannot follow.
    SentElsewhere,
    /// A struct sent as a form whose keys cannot be read (`name`: the struct).
    FormStruct { name: String, gap: FormStructGap },
    /// A mapping built by a comprehension (`over`: what it iterates, when there is one).
    Comprehension {
        over: Option<String>,
        gap: ComprehensionGap,
    },
}

/// Why a struct's serialised keys cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum FormStructGap {
    /// The struct is not a `#[derive(Serialize)]` struct of the project.
    NotSerialize,
    /// The struct is declared in another module, where the index does not find it (or
    /// finds no `#[derive(Serialize)]` struct of that name).
    NotFound,
    /// Forms nested in forms deeper than the front end follows.
    TooDeep,
    /// A serde attribute of the struct changes its keys in a way not read (`attribute`).
    Attribute { attribute: String },
    /// A serde attribute of one field (`field`) does.
    FieldAttribute { field: String, attribute: String },
    /// The literal takes its remaining fields from `excerpt` (`..base`).
    RestFrom { excerpt: String },
    /// A `#[serde(flatten)]` field of a type whose fields cannot be seen.
    FlattenedUnseen { field: String },
    /// A `#[serde(flatten)]` field built away from where the form is sent.
    FlattenedElsewhere { field: String },
}

/// Why a comprehension's keys cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ComprehensionGap {
    SeveralFors,
    Asynchronous,
    NotPairs,
    ComputedKey { excerpt: String },
    FilterMayDropKey,
    UnreadSource,
    UnpacksMappings,
}

/// How a mapping was changed after it was made.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Change {
    /// `del m[k]`
    ItemDeleted,
    /// `m[key()] = v`
    ComputedKeySet,
    /// `m.pop(..)`, `m.clear()`
    ItemsRemoved,
    /// `m.update(f())`
    GrownByCall,
    /// `f(m)`: the callee may change it.
    PassedTo { callee: String },
    /// A nested function (`None`: a lambda) changes it, and may run before the call.
    InNestedFunction { function: Option<String> },
    /// `self.p = m`, `[m]`: stored where other code may reach and change it (`place` as
    /// written, or the kind of container).
    Stored { place: String },
    /// `&mut m` lent out where the borrow cannot be followed (not as a call's argument).
    Lent,
    /// Code that may run before the call writes it: `what` says which (`a closure`).
    RunLater { what: String },
    /// A method changes its field `field` in place (`.replace(..)`, `.get_or_insert(..)`).
    FieldMethod { field: String, method: String },
    /// A loop changes it on every round, in more ways than are followed.
    EveryRound,
    /// A parameter changed in its function before it is passed on to the create.
    BeforeForward,
    /// Changed by the enclosing function after the nested function that reads it is
    /// defined, which may run later.
    AfterNestedDefinition,
    /// `&mut m.field` lent out (`to`: the call it is passed to).
    FieldLent { field: String, to: Option<String> },
}

/// Where a request builder whose type nothing declares comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum BuilderOrigin {
    /// Nothing tells (a call of something unknown, a local).
    Unknown,
    /// A parameter of `function` whose type does not say which request it is.
    Parameter { function: String },
    /// A struct field whose type cannot be seen.
    Field,
    /// A function (`written` as called) whose return type does not say.
    Returned { written: String },
    /// A type (`ty`) that may be an alias of the create's parameters.
    Alias { ty: String },
    /// Built where the front end cannot follow: a helper's return value, a field.
    Elsewhere,
}
