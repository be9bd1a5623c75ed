//! Parameters (`params:`, in OSCAL's JSON shape) and how their insertion points read:
//! "[Assignment: organization-defined frequency]", "[Selection (one or more): a; b]", or
//! the value a profile or the project set.

use serde_json::Value;

/// One parameter of an item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Param {
    /// Its id (`ac-2_prm_1`).
    pub id: String,
    /// What the organisation defines (`frequency`).
    pub label: Option<String>,
    /// How it is used, when the publisher says.
    pub usage: Option<String>,
    /// Guidance on choosing the value (each `guidelines[].prose`).
    pub guidelines: Vec<String>,
    /// The values set by a profile or the project: when any, they replace the insertion point.
    pub values: Vec<String>,
    /// The choices, when the parameter is a selection.
    pub select: Option<Selection>,
}

/// A parameter's choices (`select:`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    /// True for `how-many: one-or-more`.
    pub one_or_more: bool,
    /// The choices, as written (they may insert other parameters).
    pub choices: Vec<String>,
}

/// How an insertion point reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    /// The text shown, plain (not HTML).
    pub text: String,
    /// True when it is a value set by a profile or the project, not the publisher's blank.
    pub set: bool,
}

/// How deep parameters inserted in the choices of others are followed.
const MAX_DEPTH: usize = 4;

impl Param {
    /// Reads one entry of `params:`; None when it is not a mapping with an `id`.
    pub fn read(value: &Value) -> Option<Param> {
        let text = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_str)
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|s| !s.is_empty())
        };
        let strings = |value: Option<&Value>| -> Vec<String> {
            match value {
                Some(Value::Array(list)) => list
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                Some(Value::String(one)) => vec![one.clone()],
                Some(_) | None => Vec::new(),
            }
        };
        let guidelines = match value.get("guidelines") {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(|g| g.get("prose").and_then(Value::as_str))
                .map(str::to_string)
                .collect(),
            Some(_) | None => Vec::new(),
        };
        let select = value.get("select").map(|select| Selection {
            one_or_more: select.get("how-many").and_then(Value::as_str) == Some("one-or-more"),
            choices: strings(select.get("choice")),
        });
        Some(Param {
            id: text("id")?,
            label: text("label"),
            usage: text("usage"),
            guidelines,
            values: strings(value.get("values")),
            select,
        })
    }

    /// How its insertion point reads. `lookup` finds the other parameters its choices
    /// insert (`{{ insert: param, id }}`).
    pub fn insertion(&self, lookup: &dyn Fn(&str) -> Option<Param>) -> Insertion {
        self.insertion_at(lookup, 0)
    }

    fn insertion_at(&self, lookup: &dyn Fn(&str) -> Option<Param>, depth: usize) -> Insertion {
        if !self.values.is_empty() {
            return Insertion {
                text: self.values.join(", "),
                set: true,
            };
        }
        let text = match &self.select {
            Some(select) => {
                let how = if select.one_or_more {
                    "Selection (one or more)"
                } else {
                    "Selection"
                };
                let choices: Vec<String> = select
                    .choices
                    .iter()
                    .map(|c| fill_inserts(c, lookup, depth + 1))
                    .collect();
                format!("[{how}: {}]", choices.join("; "))
            }
            None => {
                let label = self.label.as_deref().unwrap_or(&self.id);
                format!("[Assignment: {}]", fill_inserts(label, lookup, depth + 1))
            }
        };
        Insertion { text, set: false }
    }
}

/// `text` with every `{{ insert: param, id }}` replaced by how that parameter reads.
pub fn fill_inserts(text: &str, lookup: &dyn Fn(&str) -> Option<Param>, depth: usize) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}").map(|e| start + e) else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..end];
        match insert_target(inner) {
            Some(id) => {
                let shown = match lookup(id).filter(|_| depth < MAX_DEPTH) {
                    Some(param) => param.insertion_at(lookup, depth).text,
                    None => format!("[Assignment: {id}]"),
                };
                out.push_str(&shown);
            }
            None => out.push_str(&rest[start..end + 2]),
        }
        rest = &rest[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The parameter id of the inside of `{{ insert: param, id }}`, None for anything else.
pub fn insert_target(inner: &str) -> Option<&str> {
    let (kind, id) = inner.trim().strip_prefix("insert:")?.split_once(',')?;
    let id = id.trim();
    (kind.trim() == "param" && !id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn none(_: &str) -> Option<Param> {
        None
    }

    #[test]
    fn an_assignment_reads_as_nist_prints_it() {
        let param =
            Param::read(&json!({"id": "p1", "label": "organization-defined frequency"})).unwrap();
        let shown = param.insertion(&none);
        assert_eq!(shown.text, "[Assignment: organization-defined frequency]");
        assert!(!shown.set);
    }

    #[test]
    fn a_selection_lists_its_choices() {
        let param = Param::read(&json!({"id": "p2", "select": {"how-many": "one-or-more",
            "choice": ["disable", "remove {{ insert: param, p3 }}"]}}))
        .unwrap();
        let lookup = |id: &str| {
            (id == "p3").then(|| Param {
                id: "p3".into(),
                label: Some("time period".into()),
                ..Param::default()
            })
        };
        assert_eq!(
            param.insertion(&lookup).text,
            "[Selection (one or more): disable; remove [Assignment: time period]]"
        );
        let one = Param::read(&json!({"id": "p", "select": {"choice": ["a", "b"]}})).unwrap();
        assert_eq!(one.insertion(&none).text, "[Selection: a; b]");
    }

    #[test]
    fn a_set_value_replaces_the_blank_and_says_so() {
        let param = Param::read(&json!({"id": "p", "label": "frequency",
            "values": ["at least every 3 years"]}))
        .unwrap();
        let shown = param.insertion(&none);
        assert_eq!(shown.text, "at least every 3 years");
        assert!(shown.set);
    }

    #[test]
    fn a_parameter_inserting_itself_stops() {
        let param = Param::read(
            &json!({"id": "loop", "select": {"choice": ["{{ insert: param, loop }}"]}}),
        )
        .unwrap();
        let again = param.clone();
        let text = param.insertion(&move |_| Some(again.clone())).text;
        assert!(text.contains("[Assignment: loop]"), "{text}");
    }

    #[test]
    fn entries_without_an_id_are_not_parameters() {
        assert!(Param::read(&json!({"label": "x"})).is_none());
        assert!(Param::read(&json!("text")).is_none());
        let guided =
            Param::read(&json!({"id": "g", "guidelines": [{"prose": "Pick one."}]})).unwrap();
        assert_eq!(guided.guidelines, ["Pick one."]);
    }
}
