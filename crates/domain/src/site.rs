//! The public site (issue 8): how a publication goes from a draft to the public and back, what it
//! needs to be published, the languages the site speaks, tags and the site's own pages.
//!
//! A publication is a record of the registry (`record::Kind::Publication`). Its course is a
//! history of steps, never a field anyone edits: the stage is that of the last step. Publishing
//! pins the version that was reviewed; later edits stay internal until they are reviewed and
//! published again, so nothing reaches the public that nobody approved.

use crate::record::Data;

/// The languages of the public site, in the order its language links show them.
pub const LANGS: [&str; 3] = ["ru", "tg", "en"];

/// The longest body a publication may have, in characters: about 25 pages, which keeps its page
/// under 50 KB compressed on a slow link; longer documents are attached as PDF.
pub const MAX_BODY_CHARS: usize = 50_000;

/// At most this many tags on one publication.
pub const MAX_TAGS: usize = 20;

/// Where a publication is in its course.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Being written; not public (unless an earlier version still is).
    Draft,
    /// Waiting for an editor to publish it or send it back.
    Review,
    /// The reviewed version is on the public site.
    Published,
}

impl Stage {
    /// Every stage, in the course's order.
    pub const ALL: [Stage; 3] = [Stage::Draft, Stage::Review, Stage::Published];

    /// The stable code stored in the history.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::Review => "review",
            Stage::Published => "published",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A step of the course.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// Draft → review: the author asks for it to be published.
    Submit,
    /// Review → draft: sent back to the author.
    Return,
    /// Review → published: the version under review goes public.
    Publish,
    /// Published → draft: taken off the public site.
    Unpublish,
}

impl Step {
    /// Every step.
    pub const ALL: [Step; 4] = [Step::Submit, Step::Return, Step::Publish, Step::Unpublish];

    /// The stable code used in forms and the history.
    pub fn code(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::Return => "return",
            Step::Publish => "publish",
            Step::Unpublish => "unpublish",
        }
    }

    /// Parses a form's or the history's code.
    pub fn parse(code: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the step changes what the public sees (and so needs an editor of the site).
    pub fn is_editorial(self) -> bool {
        !matches!(self, Step::Submit)
    }
}

/// Why a step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// The step does not leave the current stage; `allowed` are those that do.
    NotAllowed {
        /// The current stage.
        from: Stage,
        /// The steps that do leave it.
        allowed: Vec<Step>,
    },
    /// What publishing needs is missing (field names).
    Incomplete(Vec<&'static str>),
}

impl StepError {
    /// The translation key of the message.
    pub fn key(&self) -> &'static str {
        match self {
            StepError::NotAllowed { .. } => "site-step-not-allowed",
            StepError::Incomplete(_) => "site-step-incomplete",
        }
    }
}

/// The steps that leave `from`. A published publication with newer changes goes to review
/// again (`Submit`) while its reviewed version stays public.
pub fn next(from: Stage) -> Vec<Step> {
    match from {
        Stage::Draft => vec![Step::Submit],
        Stage::Review => vec![Step::Publish, Step::Return],
        Stage::Published => vec![Step::Submit, Step::Unpublish],
    }
}

/// The stage after `step` from `from`, and whether the step is allowed there. Publishing also
/// needs what [`missing_for_publishing`] checks.
pub fn check_step(from: Stage, step: Step, data: &Data) -> Result<Stage, StepError> {
    if !next(from).contains(&step) {
        return Err(StepError::NotAllowed { from, allowed: next(from) });
    }
    if step == Step::Publish {
        let missing = missing_for_publishing(data);
        if !missing.is_empty() {
            return Err(StepError::Incomplete(missing));
        }
    }
    Ok(match step {
        Step::Submit => Stage::Review,
        Step::Return | Step::Unpublish => Stage::Draft,
        Step::Publish => Stage::Published,
    })
}

/// What a publication lacks before it can be published: a language of the site, and a summary
/// or a body to show.
pub fn missing_for_publishing(data: &Data) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if !data.text("lang").is_some_and(|l| LANGS.contains(&l)) {
        missing.push("lang");
    }
    let blank = |f: &str| data.text(f).is_none_or(|t| t.trim().is_empty());
    if blank("summary") && blank("body") {
        missing.push("body");
    }
    missing
}

/// The tags of a publication from its line: separated by commas or semicolons, trimmed, blanks
/// and repeats (ignoring case) dropped, at most [`MAX_TAGS`].
pub fn tags(line: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in line.split([',', ';']) {
        let tag = tag.split_whitespace().collect::<Vec<_>>().join(" ");
        if tag.is_empty() || out.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            continue;
        }
        out.push(tag);
        if out.len() == MAX_TAGS {
            break;
        }
    }
    out
}

/// A tag (or any label) as a file name of the site: lower case letters and digits of any script,
/// other characters as single dashes, at most 60 characters; `None` when nothing is left.
pub fn slug(text: &str) -> Option<String> {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.chars().count() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    (!out.is_empty()).then_some(out)
}

/// The site's own pages, each in every language, edited by the editors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Page {
    /// Who the coalition is: its members.
    Members,
    /// Its working groups.
    Groups,
    /// Its principles.
    Principles,
    /// How to reach it.
    Contacts,
}

impl Page {
    /// Every page, in the site's menu order.
    pub const ALL: [Page; 4] = [Page::Members, Page::Groups, Page::Principles, Page::Contacts];

    /// Its code, also its file name on the site.
    pub fn code(self) -> &'static str {
        match self {
            Page::Members => "members",
            Page::Groups => "groups",
            Page::Principles => "principles",
            Page::Contacts => "contacts",
        }
    }

    /// Parses a code.
    pub fn parse(code: &str) -> Option<Page> {
        Page::ALL.into_iter().find(|p| p.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Kind, Value};

    fn data(pairs: &[(&str, &str)]) -> Data {
        let mut d = Data::default();
        for (k, v) in pairs {
            if let Some(field) = Kind::Publication.field(k) {
                d.set(field, Value::Text((*v).to_owned()));
            }
        }
        d
    }

    #[test]
    fn every_step_outside_the_course_is_refused_with_the_allowed_ones() {
        let ready = data(&[("lang", "tg"), ("body", "Матн")]);
        for from in Stage::ALL {
            for step in Step::ALL {
                let result = check_step(from, step, &ready);
                if next(from).contains(&step) {
                    assert!(result.is_ok(), "{from:?} {step:?}");
                } else {
                    assert_eq!(result, Err(StepError::NotAllowed { from, allowed: next(from) }));
                }
            }
        }
        assert_eq!(check_step(Stage::Review, Step::Publish, &ready), Ok(Stage::Published));
        assert_eq!(check_step(Stage::Published, Step::Unpublish, &ready), Ok(Stage::Draft));
        // Nothing is published without a review.
        assert!(check_step(Stage::Draft, Step::Publish, &ready).is_err());
    }

    #[test]
    fn publishing_needs_a_site_language_and_something_to_read() {
        let empty = data(&[("lang", "uz"), ("body", "  ")]);
        assert_eq!(
            check_step(Stage::Review, Step::Publish, &empty),
            Err(StepError::Incomplete(vec!["lang", "body"]))
        );
        assert!(missing_for_publishing(&data(&[("lang", "en"), ("summary", "A summary")])).is_empty());
    }

    #[test]
    fn tags_are_split_trimmed_and_unique() {
        assert_eq!(
            tags(" шиканҷа, армия;Армия ,, ҳуқуқ  ва  адолат "),
            vec!["шиканҷа", "армия", "ҳуқуқ ва адолат"]
        );
        assert_eq!(tags(&"x,".repeat(5)).len(), 1);
        let many: String = (0..50).map(|i| format!("t{i},")).collect();
        assert_eq!(tags(&many).len(), MAX_TAGS);
    }

    #[test]
    fn slugs_keep_letters_of_every_script() {
        assert_eq!(slug("Ҳуқуқи инсон / 2024").as_deref(), Some("ҳуқуқи-инсон-2024"));
        assert_eq!(slug("  Press Release!  ").as_deref(), Some("press-release"));
        assert_eq!(slug("../../etc"), Some("etc".into()));
        assert_eq!(slug("—//—"), None);
    }
}
