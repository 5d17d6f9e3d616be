//! Which posts go into the book, and the part ▸ chapter tree they are arranged in.

use std::collections::BTreeMap;

use super::{Division, Level, Post};
use crate::config::{Filter, GroupBy, Structure};

/// Whether `post` passes the `[filter]` of book.toml.
pub fn is_included(post: &Post, filter: &Filter) -> bool {
    let in_category = |names: &[String]| {
        (post.categories.iter().flatten())
            .chain(&post.category)
            .any(|c| names.contains(c))
    };
    let has_tag = |names: &[String]| post.tags.iter().any(|t| names.contains(t));
    let date = post.date.date();
    (filter.include_categories.is_empty() || in_category(&filter.include_categories))
        && !in_category(&filter.exclude_categories)
        && (filter.include_tags.is_empty() || has_tag(&filter.include_tags))
        && !has_tag(&filter.exclude_tags)
        && filter.since.is_none_or(|since| date >= since)
        && filter.until.is_none_or(|until| date <= until)
}

/// A node of the category tree while it is being built: posts and sub-categories by name.
#[derive(Default)]
struct Node {
    posts: Vec<Post>,
    children: BTreeMap<String, Node>,
}

impl Node {
    fn insert(&mut self, path: &[String], post: Post) {
        match path.split_first() {
            None => self.posts.push(post),
            Some((first, rest)) => self
                .children
                .entry(first.clone())
                .or_default()
                .insert(rest, post),
        }
    }

    /// Earliest post date anywhere below, for ordering groups by when they began.
    fn earliest(&self) -> Option<jiff::Timestamp> {
        let own = self.posts.iter().map(|p| p.date.timestamp());
        let below = self.children.values().filter_map(Node::earliest);
        own.chain(below).min()
    }

    /// Files everything of `other` here too, sub-categories of the same name merged.
    fn merge(&mut self, other: Node) {
        self.posts.extend(other.posts);
        for (name, child) in other.children {
            self.children.entry(name).or_default().merge(child);
        }
    }
}

/// Arranges posts into parts and chapters, and numbers the posts in reading order. Posts of
/// the blog's `default_category` go last (see [`file_default_category_last`]).
pub fn arrange(
    posts: Vec<Post>,
    structure: &Structure,
    default_category: &str,
) -> (Vec<Division>, Vec<Post>) {
    let mut root = Node::default();
    for post in posts {
        let path = group_path(&post, structure.group_by);
        root.insert(&path, post);
    }
    let mut ordered = Vec::new();
    let mut parts = ordered_children(root.children, &structure.parts);
    if structure.group_by == GroupBy::Category {
        file_default_category_last(&mut parts, structure, default_category);
    }
    let parts = parts
        .into_iter()
        .enumerate()
        .map(|(n, (title, node))| {
            let chapter_order = structure
                .chapters
                .iter()
                .find(|(part, _)| *part == title)
                .map(|(_, names)| names.as_slice())
                .unwrap_or(&[]);
            let place = Place {
                level: Level::Part,
                number: n + 1,
            };
            flatten(title, node, place, chapter_order, &mut ordered)
        })
        .collect();
    (parts, ordered)
}

/// The blog's default category (`uncategorized`, `未分类`: what Hexo files a post without
/// categories under) is no title for a part. Unless book.toml orders it among the parts, its
/// posts go after the named parts under `[structure] others`; a lone such post joins the
/// part before instead.
fn file_default_category_last(
    parts: &mut Vec<(String, Node)>,
    structure: &Structure,
    default_category: &str,
) {
    let is_default = |name: &str| {
        !structure.parts.iter().any(|p| p == name)
            && (name == default_category
                || name == "未分类"
                || name.eq_ignore_ascii_case("uncategorized"))
    };
    let mut unfiled = Node::default();
    parts.retain_mut(|(name, node)| {
        let keep = !is_default(name);
        if !keep {
            unfiled.merge(std::mem::take(node));
        }
        keep
    });
    if unfiled.posts.is_empty() && unfiled.children.is_empty() {
        return;
    }
    let lone = unfiled.children.is_empty() && unfiled.posts.len() == 1;
    let others = structure.others.as_deref().unwrap_or(crate::zh::OTHERS);
    match parts.iter_mut().position(|(name, _)| name == others) {
        Some(at) => parts[at].1.merge(unfiled),
        None => match parts.last_mut() {
            Some((_, before)) if lone => before.merge(unfiled),
            _ => parts.push((others.to_string(), unfiled)),
        },
    }
}

/// The category path a post is filed under: its first category path, or year ▸ month.
fn group_path(post: &Post, group_by: GroupBy) -> Vec<String> {
    match group_by {
        GroupBy::Category => post.category.clone(),
        GroupBy::Year => vec![
            crate::zh::year(post.date.year()),
            crate::zh::month(post.date.month()),
        ],
    }
}

/// Children in the configured order first, then the rest by their earliest post (ties by name).
fn ordered_children(children: BTreeMap<String, Node>, order: &[String]) -> Vec<(String, Node)> {
    let mut children: Vec<(String, Node)> = children.into_iter().collect();
    children.sort_by_cached_key(|(name, node)| {
        let rank = order.iter().position(|o| o == name).unwrap_or(usize::MAX);
        (rank, node.earliest(), name.clone())
    });
    children
}

/// Where a division stands: its level and its number among its siblings.
struct Place {
    level: Level,
    number: usize,
}

/// Turns a node into a division, appending its posts (own posts first, by date) to `ordered`.
fn flatten(
    title: String,
    node: Node,
    place: Place,
    order: &[String],
    ordered: &mut Vec<Post>,
) -> Division {
    let mut posts = node.posts;
    posts.sort_by(|a, b| (a.date.timestamp(), &a.path).cmp(&(b.date.timestamp(), &b.path)));
    let mut indices = Vec::new();
    for mut post in posts {
        post.index = ordered.len();
        indices.push(post.index);
        ordered.push(post);
    }
    let children = ordered_children(node.children, order)
        .into_iter()
        .enumerate()
        .map(|(n, (title, child))| {
            let place = Place {
                level: Level::from_depth(place.level.depth() + 1),
                number: n + 1,
            };
            flatten(title, child, place, &[], ordered)
        })
        .collect();
    Division {
        level: place.level,
        number: place.number,
        label: place.level.label(place.number),
        title,
        posts: indices,
        children,
    }
}
