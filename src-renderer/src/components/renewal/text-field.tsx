/** A labelled text input whose problem is announced (aria-invalid + aria-describedby) as soon as it was touched. */
import { useId } from 'react';

export function TextField(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  problem: string | null;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  hint?: string;
  testId?: string;
}) {
  const id = useId();
  const problemId = `${id}-problem`;
  const hintId = `${id}-hint`;
  const describedBy = [props.hint ? hintId : null, props.problem ? problemId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {props.label}
      </label>
      <input
        id={id}
        className="field__input"
        type={props.type ?? 'text'}
        value={props.value}
        autoComplete={props.autoComplete}
        aria-invalid={props.problem ? true : undefined}
        aria-describedby={describedBy}
        data-testid={props.testId}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint && (
        <p id={hintId} className="field__hint">
          {props.hint}
        </p>
      )}
      {props.problem && (
        <p id={problemId} className="field__problem" role="alert">
          {props.problem}
        </p>
      )}
    </div>
  );
}
