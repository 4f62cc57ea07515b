'use client';

import { useMutation } from '@apollo/client/react';
import { useState } from 'react';
import { graphql } from '../../_gql/index.ts';
import type { ContactPointKind } from '../../_gql/graphql.ts';
import { CONTACT_POINT_KINDS, contactPointInputOf, takesSecret, type ContactPointForm } from '../../_lib/contact-point-form.ts';

const SAVE_CONTACT_POINT = graphql(`
  mutation SaveContactPoint($input: ContactPointInput!) {
    saveContactPoint(input: $input) {
      id
    }
  }
`);

const KINDS = Object.keys(CONTACT_POINT_KINDS) as ContactPointKind[];

function isKind(value: string): value is ContactPointKind {
  return KINDS.some((kind) => kind === value);
}

function TextField({ label, value, type = 'text', placeholder, onChange }: { label: string; value: string; type?: string; placeholder?: string; onChange(value: string): void }) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      <input className="field__input" type={type} value={value} placeholder={placeholder} autoComplete="off" onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

interface ContactPointEditorProps {
  projectId: string;
  initial: ContactPointForm;
  /** Whether the saved contact point keeps a secret already. */
  hasSecret: boolean;
  onDone(): void;
}

/** Creates or replaces a contact point; its secret field starts empty and, left empty, keeps the stored one. */
export function ContactPointEditor({ projectId, initial, hasSecret, onDone }: ContactPointEditorProps) {
  const [form, setForm] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const [save, saving] = useMutation(SAVE_CONTACT_POINT, { onError: (error) => setProblem(error.message), onCompleted: onDone, refetchQueries: ['ContactPointsPage'] });
  const change = (part: Partial<ContactPointForm>) => setForm((previous) => ({ ...previous, ...part }));
  const keepsSecret = hasSecret && form.kind === initial.kind;

  return (
    <form
      className="form alert-form"
      aria-label={form.id ? 'Edit contact point' : 'New contact point'}
      onSubmit={(event) => {
        event.preventDefault();
        setProblem(null);
        void save({ variables: { input: contactPointInputOf(projectId, form) } });
      }}
    >
      <TextField label="Name" value={form.name} onChange={(name) => change({ name })} />
      <label className="field">
        <span className="field__label">Kind</span>
        <select className="field__input" value={form.kind} onChange={(event) => isKind(event.target.value) && change({ kind: event.target.value })}>
          {KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {CONTACT_POINT_KINDS[kind]}
            </option>
          ))}
        </select>
      </label>
      {form.kind !== 'EMAIL' && <TextField label="URL" type="url" value={form.url} onChange={(url) => change({ url })} />}
      {form.kind === 'EMAIL' && (
        <>
          <TextField label="SMTP host" value={form.host} onChange={(host) => change({ host })} />
          <TextField label="SMTP port" value={form.port} onChange={(port) => change({ port })} />
          <label className="checkbox-group__item">
            <input type="checkbox" checked={form.secure} onChange={(event) => change({ secure: event.target.checked })} /> TLS from the first byte (port 465)
          </label>
          <TextField label="SMTP user (empty: no authentication)" value={form.user} onChange={(user) => change({ user })} />
          <TextField label="From" value={form.from} onChange={(from) => change({ from })} />
          <TextField label="To (commas between addresses)" value={form.to} onChange={(to) => change({ to })} />
        </>
      )}
      {takesSecret(form.kind) && (
        <TextField
          label={form.kind === 'WEBHOOK' ? 'Signing key (whsec_…)' : 'SMTP password'}
          type="password"
          value={form.secret}
          placeholder={keepsSecret ? 'Unchanged (stored, never shown)' : ''}
          onChange={(secret) => change({ secret })}
        />
      )}
      {problem && (
        <p className="field__error" role="alert">
          {problem}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="button" disabled={saving.loading}>
          {saving.loading ? 'Saving…' : 'Save contact point'}
        </button>
        <button type="button" className="button button--secondary" onClick={onDone}>
          Close
        </button>
      </div>
    </form>
  );
}
