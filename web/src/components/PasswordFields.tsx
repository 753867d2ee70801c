import { useState } from 'react';
import { Field } from './Forms';

const NEW_PASSWORD_HINT = 'At least 12 characters. Common passwords are refused.';

type PasswordProps = { label?: string; value: string; onValue: (v: string) => void };

function PasswordField({
  label,
  value,
  onValue,
  ...rest
}: Required<Pick<PasswordProps, 'label'>> & PasswordProps & { autoComplete: string; minLength?: number; hint?: string }) {
  return <Field label={label} type="password" required value={value} onChange={(e) => onValue(e.target.value)} {...rest} />;
}

/// The password of an existing account.
export function CurrentPasswordField({ label = 'Password', ...rest }: PasswordProps) {
  return <PasswordField label={label} autoComplete="current-password" {...rest} />;
}

/// A new password, with the server's rules as its hint.
export function NewPasswordField({ label = 'New password', ...rest }: PasswordProps) {
  return <PasswordField label={label} autoComplete="new-password" minLength={12} hint={NEW_PASSWORD_HINT} {...rest} />;
}

/// State of a "new password" + "repeat it" pair.
export function usePasswordPair() {
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  return {
    password,
    setPassword,
    repeat,
    setRepeat,
    matches: password === repeat,
    clear: () => {
      setPassword('');
      setRepeat('');
    },
  };
}

/// "New password" and "Repeat the new password".
export function NewPasswordPair({ pair }: { pair: ReturnType<typeof usePasswordPair> }) {
  return (
    <>
      <NewPasswordField value={pair.password} onValue={pair.setPassword} />
      <PasswordField label="Repeat the new password" autoComplete="new-password" value={pair.repeat} onValue={pair.setRepeat} />
    </>
  );
}
