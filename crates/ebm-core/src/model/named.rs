//! Enums whose values have names (the settings' choices): one table per enum,
//! from which the variants, `ALL`, `name`, `from_name` and a one-line
//! description all come, so `ALL` cannot miss a variant.

/// Implemented by every enum made with [`named_enum!`](crate::named_enum).
pub trait Named: Copy + PartialEq + 'static {
    /// Every value, in table order.
    fn all() -> &'static [Self];
    fn name(self) -> &'static str;
    /// A line for tooltips (a formula or a definition).
    fn describe(self) -> &'static str;
    fn from_name(s: &str) -> Option<Self> {
        Self::all().iter().copied().find(|v| v.name() == s)
    }
}

/// `named_enum! { pub enum Cost { L1 = "l1": "Σ|v|", … } }` declares the enum
/// (serde uses the same names) and implements [`Named`] from the one table.
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal : $describe:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant ),+
        }

        impl $name {
            /// Every value, in table order.
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn from_name(s: &str) -> Option<$name> {
                Self::ALL.into_iter().find(|v| v.name() == s)
            }

            /// A line for tooltips (a formula or a definition).
            pub fn describe(self) -> &'static str {
                match self {
                    $($name::$variant => $describe),+
                }
            }
        }

        impl $crate::model::named::Named for $name {
            fn all() -> &'static [Self] {
                &Self::ALL
            }
            fn name(self) -> &'static str {
                $name::name(self)
            }
            fn describe(self) -> &'static str {
                $name::describe(self)
            }
        }
    };
}
