//! Where the 3D view keeps its GL objects so that egui's paint callback (which
//! must be `Send + Sync`) can reach them.
//!
//! On the desktop that is an `Arc<Mutex<T>>`. In the browser glow's context
//! holds `RefCell`s and is neither `Send` nor `Sync`; wasm32 runs on one thread,
//! so there the value lives in a thread-local slot and the handle is only its
//! index: the one cfg-gated difference of the window's code.

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use std::sync::{Arc, Mutex};

    /// A shared handle to a `T`; clones see the same value.
    pub struct GlCell<T>(Arc<Mutex<T>>);

    impl<T> Clone for GlCell<T> {
        fn clone(&self) -> Self {
            GlCell(Arc::clone(&self.0))
        }
    }

    impl<T: 'static> GlCell<T> {
        pub fn new(value: T) -> Self {
            GlCell(Arc::new(Mutex::new(value)))
        }

        /// Runs `f` on the value; `None` when a panic poisoned it.
        pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
            self.0.lock().ok().map(|mut g| f(&mut g))
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use std::any::Any;
    use std::cell::RefCell;
    use std::marker::PhantomData;

    thread_local! {
        static SLOTS: RefCell<Vec<Option<Box<dyn Any>>>> = const { RefCell::new(Vec::new()) };
    }

    /// A handle (an index into this thread's slots) to a `T`.
    pub struct GlCell<T> {
        index: usize,
        _t: PhantomData<fn() -> T>,
    }

    impl<T> Clone for GlCell<T> {
        fn clone(&self) -> Self {
            GlCell {
                index: self.index,
                _t: PhantomData,
            }
        }
    }

    impl<T: 'static> GlCell<T> {
        pub fn new(value: T) -> Self {
            let index = SLOTS.with(|s| {
                let mut s = s.borrow_mut();
                s.push(Some(Box::new(value)));
                s.len() - 1
            });
            GlCell {
                index,
                _t: PhantomData,
            }
        }

        /// Runs `f` on the value; `None` if it is borrowed already (re-entry).
        pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> Option<R> {
            SLOTS.with(|s| {
                let mut s = s.try_borrow_mut().ok()?;
                let v = s.get_mut(self.index)?.as_mut()?.downcast_mut::<T>()?;
                Some(f(v))
            })
        }
    }
}

pub use imp::GlCell;
