//! The `modify` step of profile resolution: `set-parameters` and `alters`.

use serde_json::{Map, Value};

use super::profile::list;
use super::read::Source;

/// Applies a profile's `modify` to the resolved catalog.
pub fn apply(
    catalog: &mut Value,
    modify: &Value,
    source: &Source,
    notes: &mut Vec<String>,
) -> Result<(), String> {
    for (n, setting) in list(modify, "set-parameters").enumerate() {
        let id = setting
            .get("param-id")
            .and_then(Value::as_str)
            .unwrap_or("");
        match find_param(catalog, id) {
            Some(param) => set_parameter(param, setting),
            None => notes.push(format!(
                "{}: sets parameter `{id}`, which no selected control has; ignored",
                source.at(&format!("/profile/modify/set-parameters/{n}"))
            )),
        }
    }
    for (n, alter) in list(modify, "alters").enumerate() {
        let here = format!("/profile/modify/alters/{n}");
        let id = alter
            .get("control-id")
            .and_then(Value::as_str)
            .unwrap_or("");
        let Some(control) = find_control(catalog, id) else {
            return Err(format!(
                "{}: alters `{id}`, which the resolved catalog does not have",
                source.at(&here)
            ));
        };
        for remove in list(alter, "removes") {
            remove_matching(control, remove);
        }
        for add in list(alter, "adds") {
            add_to(control, add).map_err(|message| format!("{}: {message}", source.at(&here)))?;
        }
    }
    Ok(())
}

/// Changes a parameter: values, select, label and usage replace; the lists are added to.
fn set_parameter(param: &mut Value, setting: &Value) {
    let Some(param) = param.as_object_mut() else {
        return;
    };
    for (key, value) in setting.as_object().into_iter().flatten() {
        match key.as_str() {
            "param-id" => {}
            "values" | "select" | "label" | "usage" | "class" | "depends-on" => {
                param.insert(key.clone(), value.clone());
                if key == "values" {
                    param.remove("select");
                }
            }
            _ => {
                if let (Some(Value::Array(have)), Value::Array(more)) = (param.get_mut(key), value)
                {
                    have.extend(more.iter().cloned());
                } else {
                    param.insert(key.clone(), value.clone());
                }
            }
        }
    }
}

/// Removes the params, props, links and parts of a control (at any depth of its parts,
/// not in its child controls) that a `remove` names.
fn remove_matching(control: &mut Value, remove: &Value) {
    let rule = |key: &str| remove.get(key).and_then(Value::as_str);
    let matches = |item: &Value| {
        let field = |key: &str| item.get(key).and_then(Value::as_str);
        let by = [
            ("by-name", field("name")),
            ("by-class", field("class")),
            ("by-id", field("id")),
            ("by-ns", field("ns")),
        ];
        let mut any = false;
        for (key, value) in by {
            if let Some(wanted) = rule(key) {
                any = true;
                if value != Some(wanted) {
                    return false;
                }
            }
        }
        any
    };
    let item_name = rule("by-item-name");
    prune(control, &matches, item_name);
}

fn prune(value: &mut Value, matches: &dyn Fn(&Value) -> bool, item_name: Option<&str>) {
    let Some(map) = value.as_object_mut() else {
        return;
    };
    for key in ["params", "props", "links", "parts"] {
        let Some(Value::Array(items)) = map.get_mut(key) else {
            continue;
        };
        let item_key = key.trim_end_matches('s');
        items.retain(|item| !matches(item) && item_name != Some(item_key));
        if key == "parts" {
            for part in items.iter_mut() {
                prune(part, matches, item_name);
            }
        }
        if items.is_empty() {
            map.remove(key);
        }
    }
}

/// Adds an `add`'s title, params, props, links and parts to a control or to the item
/// (part or param) its `by-id` names.
fn add_to(control: &mut Value, add: &Value) -> Result<(), String> {
    let position = add
        .get("position")
        .and_then(Value::as_str)
        .unwrap_or("ending");
    let by_id = add.get("by-id").and_then(Value::as_str);
    let own_id = control
        .get("id")
        .and_then(Value::as_str)
        .map(str::to_string);
    let target_is_control = by_id.is_none() || by_id == own_id.as_deref();
    if target_is_control || matches!(position, "starting" | "ending") {
        let target = if target_is_control {
            Some(control)
        } else {
            find_item(control, by_id.unwrap_or(""))
        };
        let target = target.ok_or_else(|| {
            format!(
                "`by-id` `{}` names nothing in the control",
                by_id.unwrap_or("")
            )
        })?;
        insert_contents(target, add, position == "starting");
        return Ok(());
    }
    // before / after an item: into the list that holds it.
    let id = by_id.unwrap_or("");
    let (list, at) = find_holder(control, id)
        .ok_or_else(|| format!("`by-id` `{id}` names nothing in the control"))?;
    let key = list_key(list, at);
    let new: Vec<Value> = add
        .get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let at = if position == "after" { at + 1 } else { at };
    for (n, item) in new.into_iter().enumerate() {
        list.insert(at + n, item);
    }
    Ok(())
}

/// The key of an `add` that holds items like the one at `at` (parts, params, props, links).
fn list_key(list: &[Value], at: usize) -> &'static str {
    let item = &list[at];
    if item.get("name").is_some() && item.get("value").is_some() {
        "props"
    } else if item.get("href").is_some() {
        "links"
    } else if item.get("name").is_some() {
        "parts"
    } else {
        "params"
    }
}

fn insert_contents(target: &mut Value, add: &Value, starting: bool) {
    let Some(map) = target.as_object_mut() else {
        return;
    };
    if let Some(title) = add.get("title") {
        map.insert("title".into(), title.clone());
    }
    for key in ["params", "props", "links", "parts"] {
        let Some(Value::Array(new)) = add.get(key) else {
            continue;
        };
        let list = map
            .entry(key.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = list {
            if starting {
                items.splice(0..0, new.iter().cloned());
            } else {
                items.extend(new.iter().cloned());
            }
        }
    }
}

/// The list holding the part or param with this id, and its place in it.
fn find_holder<'v>(value: &'v mut Value, id: &str) -> Option<(&'v mut Vec<Value>, usize)> {
    let map: &mut Map<String, Value> = value.as_object_mut()?;
    for key in ["params", "parts"] {
        let position = map.get(key).and_then(Value::as_array).and_then(|items| {
            items
                .iter()
                .position(|i| i.get("id").and_then(Value::as_str) == Some(id))
        });
        if let Some(at) = position {
            return Some((map.get_mut(key)?.as_array_mut()?, at));
        }
    }
    let parts = map.get_mut("parts")?.as_array_mut()?;
    for part in parts.iter_mut() {
        if let Some(found) = find_holder(part, id) {
            return Some(found);
        }
    }
    None
}

/// Where an item stands: the list keys and indexes from the top.
type Place = Vec<(&'static str, usize)>;

/// The first item under `value` (through the lists `keys`) that `hit` accepts.
fn locate(
    value: &Value,
    keys: &[&'static str],
    hit: &dyn Fn(&str, &Value) -> bool,
) -> Option<Place> {
    for &key in keys {
        for (n, item) in list(value, key).enumerate() {
            if hit(key, item) {
                return Some(vec![(key, n)]);
            }
            if let Some(mut place) = locate(item, keys, hit) {
                place.insert(0, (key, n));
                return Some(place);
            }
        }
    }
    None
}

fn follow<'v>(value: &'v mut Value, place: &[(&'static str, usize)]) -> Option<&'v mut Value> {
    place
        .iter()
        .try_fold(value, |value, (key, n)| value.get_mut(*key)?.get_mut(*n))
}

fn has_id(item: &Value, id: &str) -> bool {
    item.get("id").and_then(Value::as_str) == Some(id)
}

/// The parameter with this id anywhere in the catalog.
fn find_param<'v>(catalog: &'v mut Value, id: &str) -> Option<&'v mut Value> {
    let hit = |key: &str, item: &Value| key == "params" && has_id(item, id);
    let place = locate(catalog, &["params", "groups", "controls"], &hit)?;
    follow(catalog, &place)
}

/// The control with this id anywhere in the catalog.
fn find_control<'v>(catalog: &'v mut Value, id: &str) -> Option<&'v mut Value> {
    let hit = |key: &str, item: &Value| key == "controls" && has_id(item, id);
    let place = locate(catalog, &["groups", "controls"], &hit)?;
    follow(catalog, &place)
}

/// The part or param with this id inside a control.
fn find_item<'v>(control: &'v mut Value, id: &str) -> Option<&'v mut Value> {
    let hit = |_: &str, item: &Value| has_id(item, id);
    let place = locate(control, &["params", "parts"], &hit)?;
    follow(control, &place)
}
