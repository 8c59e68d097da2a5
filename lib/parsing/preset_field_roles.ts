/**
 * What the fields of Loghub's published formats are. Loghub names fields by position, not meaning: in OpenSSH
 * logs `<Component>` holds the host (`LabSZ`) and the program is the literal `sshd`; in Linux logs `<Level>`
 * holds the host (`combo`). The presets keep Loghub's format strings unchanged (they are what Loghub's tools
 * and ground truths use); this table says which field plays which role in a vigil event.
 * @module
 */

/** The role of each field in a preset, by field name. */
export interface FieldRoles {
  /** Field holding the host name. */
  readonly host?: string;
  /** Field holding the program or component; or a fixed value when the format has it as literal text. */
  readonly component?: string | { readonly literal: string };
  /** Field holding the severity; `null` when the format has none (the level is inferred from the message). */
  readonly level?: string | null;
  /** Field holding the process id. */
  readonly pid?: string;
}

/**
 * Roles of the presets whose field names mislead (others follow the names: `Level`, `Component`, `Host`, ...).
 * Keyed by lower-case preset name.
 */
export const PRESET_FIELD_ROLES: Readonly<Record<string, FieldRoles>> = Object.freeze({
  openssh: { host: "Component", component: { literal: "sshd" }, level: null, pid: "Pid" },
  linux: { host: "Level", component: "Component", level: null, pid: "PID" },
  thunderbird: { host: "User", component: "Component", level: null, pid: "PID" },
  mac: { host: "User", component: "Component", level: null, pid: "PID" },
  bgl: { host: "Node", component: "Component", level: "Level" },
  hpc: { host: "Node", component: "Component", level: null },
});
