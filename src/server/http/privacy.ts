/** Masking of personal data in one place: presenters call these unless the actor may see the full value. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export function maskIdNumber(id: string | null): string | null {
  if (!id) return id;
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  if (chars.length === 1) return '*';
  return `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** An address keeps its first characters (the road or compound) and hides the rest (building, room). */
export function maskAddress(address: string | null): string | null {
  if (!address) return address;
  const chars = [...address];
  const keep = Math.min(6, Math.floor(chars.length / 2));
  return `${chars.slice(0, keep).join('')}****`;
}
