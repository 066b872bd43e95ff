//! Finsam's domain: the types and rules of a samordningsförbund, with no I/O.
//!
//! - [`ident`]: values that can only exist when valid (e-mail address, organisationsnummer, tenant slug).
//! - [`role`]: the roles in a förbund and what each may do ([`role::Permission`]).
//! - [`password`]: the password policy.
//! - [`money`]: amounts in öre and their Swedish formatting.
//! - [`time`]: Europe/Stockholm times with the offset written out.
//! - [`member`]: the kinds of member organisation.
//! - [`yearfile`]: the year file, one förbund's year as JSON, with its validation.
//! - [`finance`]: the financial rules: statements, key figures, budget roll-forward, checks.
//! - [`markup`]: the small Markdown subset of the årsredovisning texts, parsed into data.
//!
//! Parsing happens at the edge; everything inside the program holds these types.

pub mod finance;
pub mod ident;
pub mod markup;
pub mod member;
pub mod money;
pub mod password;
pub mod role;
pub mod slug;
pub mod time;
pub mod yearfile;

pub use ident::{EmailAddress, OrgNr, TenantSlug};
pub use member::MemberKind;
pub use money::Ore;
pub use role::{Permission, Role};
