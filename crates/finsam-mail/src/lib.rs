//! Outgoing e-mail.
//!
//! - [`templates`]: the Swedish messages (subject, plain text, HTML), compiled into the binary.
//! - [`transport`]: where a message goes: `.eml` files in the outbox folder, or SMTP.
//!
//! Messages are not sent from request handlers: they are written to the database outbox and delivered by
//! the worker (finsam-jobs), which calls a [`transport::Transport`].

pub mod templates;
pub mod transport;

/// Re-exported for configuration code that names a sender.
pub use lettre::message::Mailbox;
pub use templates::Rendered;
pub use transport::{Attachment, OutgoingMessage, SendError, Transport};
