//! Roles in a förbund and what each may do. The matrix here is the one written in docs/permissions.md,
//! and the web layer asks only these functions.

use serde::{Deserialize, Serialize};

/// A role held through a membership (account, tenant, role). The platform admin is not a tenant role:
/// it is a flag on the account and gives no access to any förbund's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Kansli,
    Styrelse,
    Beredningsgrupp,
    Coach,
}

/// What a request wants to do inside a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// The förbund's start page: its name and its member organisations.
    ViewTenant,
    /// Who holds which role in the förbund.
    ViewPeople,
    /// Everything the förbund keeps: organisation, accounts, budget, all insatser, documents.
    ReadAll,
    /// Change anything the förbund keeps, start renders and signing rounds.
    Manage,
    /// Give and take roles in the förbund, invite people.
    ManageMemberships,
    /// The förbund's audit log.
    ViewAuditLog,
    /// Report participant counts for an insats (a coach: only one they are attached to).
    Report,
}

impl Permission {
    pub const ALL: [Permission; 7] = [
        Self::ViewTenant,
        Self::ViewPeople,
        Self::ReadAll,
        Self::Manage,
        Self::ManageMemberships,
        Self::ViewAuditLog,
        Self::Report,
    ];
}

impl Role {
    pub const ALL: [Role; 4] = [
        Self::Kansli,
        Self::Styrelse,
        Self::Beredningsgrupp,
        Self::Coach,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kansli => "kansli",
            Self::Styrelse => "styrelse",
            Self::Beredningsgrupp => "beredningsgrupp",
            Self::Coach => "coach",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The Swedish name shown in the UI.
    pub fn label(self) -> &'static str {
        match self {
            Self::Kansli => "Kansli",
            Self::Styrelse => "Styrelse",
            Self::Beredningsgrupp => "Beredningsgrupp",
            Self::Coach => "Coach",
        }
    }

    /// The permission matrix. A coach sees the förbund and its members, and (through
    /// [`Role::can_read_insats`]) only the insatser they are attached to.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Self::Kansli => true,
            Self::Styrelse | Self::Beredningsgrupp => {
                matches!(permission, ViewTenant | ViewPeople | ReadAll)
            }
            Self::Coach => matches!(permission, ViewTenant | Report),
        }
    }

    /// Whether this role may read one insats, given whether the account is attached to it as coach.
    pub fn can_read_insats(self, attached: bool) -> bool {
        self.can(Permission::ReadAll) || (self == Self::Coach && attached)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole matrix, written out as in docs/permissions.md, so a change to either is deliberate.
    #[test]
    fn permission_matrix() {
        let expected: [(Role, [bool; 7]); 4] = [
            // ViewTenant ViewPeople ReadAll Manage ManageMemberships ViewAuditLog Report
            (Role::Kansli, [true, true, true, true, true, true, true]),
            (
                Role::Styrelse,
                [true, true, true, false, false, false, false],
            ),
            (
                Role::Beredningsgrupp,
                [true, true, true, false, false, false, false],
            ),
            (Role::Coach, [true, false, false, false, false, false, true]),
        ];
        for (role, row) in expected {
            for (p, want) in Permission::ALL.into_iter().zip(row) {
                assert_eq!(role.can(p), want, "{role:?} {p:?}");
            }
        }
    }

    #[test]
    fn coach_reads_only_attached_insatser() {
        assert!(Role::Coach.can_read_insats(true));
        assert!(!Role::Coach.can_read_insats(false));
        for role in [Role::Kansli, Role::Styrelse, Role::Beredningsgrupp] {
            assert!(role.can_read_insats(false));
        }
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
