import { roleLabel } from '../lib/permissions';
import { SelectField } from './Forms';

/// One <option> a role, labelled for people.
export function RoleOptions({ roles }: { roles: readonly string[] }) {
  return (
    <>
      {roles.map((r) => (
        <option key={r} value={r}>
          {roleLabel(r)}
        </option>
      ))}
    </>
  );
}

/// A labelled role picker.
export function RoleSelect({
  id,
  label = 'Role',
  roles,
  value,
  onValue,
  disabled,
}: {
  id: string;
  label?: string;
  roles: readonly string[];
  value: string;
  onValue: (role: string) => void;
  disabled?: boolean;
}) {
  return (
    <SelectField id={id} label={label} value={value} disabled={disabled} onChange={(e) => onValue(e.target.value)}>
      <RoleOptions roles={roles} />
    </SelectField>
  );
}
