//! Which names hold one value (a mapping, parameters being built) on a path: on every path
//! that meets here (`must`), or on some (`may`, which holds `must`). A change through a
//! name in `must` is a change to the value; through a name in `may` only, a change on some
//! paths. Binding a name to another name that holds the value makes it an alias; binding
//! it to anything else ends that.
//!
//! Knows no language: a front end says what binds what, in the order its flow applies.

/// The names that hold one value, along one path (or where paths met).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aliases<N> {
    must: Vec<N>,
    may: Vec<N>,
}

impl<N: Copy + PartialEq> Aliases<N> {
    /// The value as its own name holds it.
    pub fn of(root: N) -> Self {
        Aliases {
            must: vec![root],
            may: vec![root],
        }
    }

    /// `root` is bound to a new value (`also`: the name it was bound from, `params = body`,
    /// which holds it too). `maybe`: a binding that may not run (`flag and (root := ..)`).
    pub fn rebind_root(&mut self, root: N, also: Option<N>, maybe: bool) {
        if maybe {
            self.may.extend(also);
        } else {
            self.must = vec![root];
            self.must.extend(also);
            self.may = self.must.clone();
        }
    }

    /// `name` is bound: to the name `from` (`body = params`), or to anything else (`None`).
    /// `maybe`: a binding that may not run.
    pub fn bind(&mut self, name: N, from: Option<N>, maybe: bool) {
        let must = !maybe && from.is_some_and(|from| self.must.contains(&from));
        let may = from.is_some_and(|from| self.may.contains(&from));
        if !maybe {
            self.must.retain(|n| *n != name);
            self.may.retain(|n| *n != name);
        }
        if must {
            self.must.push(name);
        }
        if may && !self.may.contains(&name) {
            self.may.push(name);
        }
    }

    /// Whether `name` holds the value on every path that meets here.
    pub fn surely(&self, name: N) -> bool {
        self.must.contains(&name)
    }

    /// Whether `name` may hold the value.
    pub fn maybe(&self, name: N) -> bool {
        self.may.contains(&name)
    }

    /// Where two paths meet.
    pub fn join(self, other: Self) -> Self {
        let must = self
            .must
            .into_iter()
            .filter(|n| other.must.contains(n))
            .collect();
        let mut may = self.may;
        for name in other.may {
            if !may.contains(&name) {
                may.push(name);
            }
        }
        Aliases { must, may }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_is_one_until_rebound() {
        let mut aliases = Aliases::of("params");
        aliases.bind("body", Some("params"), false);
        assert!(aliases.surely("body"));
        aliases.bind("body", None, false);
        assert!(!aliases.maybe("body"));
    }

    #[test]
    fn an_alias_on_some_paths_only_may_hold_the_value() {
        let mut aliased = Aliases::of("params");
        aliased.bind("body", Some("params"), false);
        let joined = aliased.join(Aliases::of("params"));
        assert!(joined.maybe("body"));
        assert!(!joined.surely("body"));
        assert!(joined.surely("params"));
    }

    #[test]
    fn rebinding_the_root_ends_every_alias() {
        let mut aliases = Aliases::of("params");
        aliases.bind("body", Some("params"), false);
        aliases.rebind_root("params", Some("other"), false);
        assert!(!aliases.maybe("body"));
        assert!(aliases.surely("other"));
        let mut maybe = Aliases::of("params");
        maybe.bind("body", Some("params"), false);
        maybe.rebind_root("params", Some("other"), true);
        assert!(maybe.surely("body"));
        assert!(maybe.maybe("other") && !maybe.surely("other"));
    }
}
