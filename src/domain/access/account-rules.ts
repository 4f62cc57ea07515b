import { AppError } from '../errors.ts';

/** Letters, digits and `.-_`, starting with a letter or digit: safe in URLs, logs and the CLI. */
const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const MIN_PASSWORD_LENGTH = 10;
// scrypt hashes any length, but a megabyte of password is an attack on the CPU, not a password.
const MAX_PASSWORD_LENGTH = 1024;
const MAX_NAME_LENGTH = 100;
// RFC 5321's longest path; the shape is what SMTP servers accept, not the full RFC 5322 grammar.
const MAX_EMAIL_LENGTH = 254;
const EMAIL_ADDRESS = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/;

function invalid(argument: string, message: string): AppError {
  return new AppError('BAD_USER_INPUT', message, { argument });
}

export function checkUsername(username: string, argument = 'username'): string {
  if (!USERNAME.test(username)) {
    throw invalid(argument, `"${username}" is not a valid username: use 1 to 64 lowercase letters, digits, ".", "-" or "_", starting with a letter or digit`);
  }
  return username;
}

export function checkProjectSlug(slug: string, argument = 'slug'): string {
  if (!SLUG.test(slug)) throw invalid(argument, `"${slug}" is not a valid project slug: use 1 to 63 lowercase letters, digits or "-", starting with a letter or digit`);
  return slug;
}

export function checkPassword(password: string, argument = 'password'): string {
  if (password.length < MIN_PASSWORD_LENGTH) throw invalid(argument, `The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw invalid(argument, `The password is too long: use at most ${MAX_PASSWORD_LENGTH} characters`);
  return password;
}

/** A display name, project name or token name: trimmed, not empty, at most 100 characters. */
export function checkName(name: string, argument: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH) throw invalid(argument, `The ${argument} must be 1 to ${MAX_NAME_LENGTH} characters long`);
  return trimmed;
}

export function checkExpiry(expiresAt: Date | null, now: Date, argument = 'expiresAt'): Date | null {
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw invalid(argument, `The expiry ${expiresAt.toISOString()} is in the past: choose a later time or none`);
  return expiresAt;
}

/** An email address a report is mailed to: one address, no display name, at most 254 characters. */
export function checkEmail(email: string, argument = 'email'): string {
  const trimmed = email.trim();
  if (trimmed.length > MAX_EMAIL_LENGTH) throw invalid(argument, `The email address is too long: use at most ${MAX_EMAIL_LENGTH} characters`);
  if (!EMAIL_ADDRESS.test(trimmed)) throw invalid(argument, `"${trimmed.slice(0, 80)}" is not an email address: give one like ada@example.com, without a name or brackets`);
  return trimmed;
}
