import { useState } from 'react';

/// A destructive button that asks once more inline ("Remove" -> "Confirm remove" / "Cancel")
/// instead of a blocking window.confirm.
export function ConfirmButton({
  label,
  confirmLabel,
  onConfirm,
  disabled,
  describedBy,
}: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  describedBy?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="button button--small button--danger-ghost"
        disabled={disabled}
        aria-describedby={describedBy}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className="button button--small button--danger"
        disabled={disabled}
        aria-describedby={describedBy}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button--small button--ghost" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
