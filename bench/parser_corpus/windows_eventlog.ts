/** Generated Windows Event Log text (as `Get-WinEvent | Format-List` or an agent renders a message). @module */
import type { CorpusFamily } from "./corpus_template.ts";

/** Security, System and Application event messages rendered as one text line. */
export const windowsEventLog: CorpusFamily = {
  name: "WinEventLog",
  describes: "Windows Event Log (Security/System/Application) text",
  templates: [
    `4624 An account was successfully logged on. Subject: Security ID: SYSTEM Account Name: {word}-{num}$ Logon Type: {num} New Logon: Security ID: {sid} Account Name: {user} Logon ID: {hexnum} Source Network Address: {ip} Source Port: {port}`,
    `4625 An account failed to log on. Logon Type: 3 Account For Which Logon Failed: Account Name: {user} Failure Reason: Unknown user name or bad password. Status: 0xC000006D Source Network Address: {ip} Source Port: {port}`,
    `4634 An account was logged off. Security ID: {sid} Account Name: {user} Logon ID: {hexnum} Logon Type: {num}`,
    `4688 A new process has been created. New Process ID: {hexnum} New Process Name: {winpath} Creator Process ID: {hexnum}`,
    `4672 Special privileges assigned to new logon. Security ID: {sid} Account Name: {user} Logon ID: {hexnum} Privileges: SeBackupPrivilege SeRestorePrivilege SeDebugPrivilege`,
    `7036 The {winsvc} service entered the {state} state.`,
    `7040 The start type of the Background Intelligent Transfer Service service was changed from demand start to auto start.`,
    `7045 A service was installed in the system. Service Name: {word}svc Service File Name: {winpath} Service Type: user mode service Service Start Type: demand start`,
    `1000 Faulting application name: {word}.exe, version: {num}.{num}.{num}.{num}, time stamp: {hexnum} Faulting module name: ntdll.dll, version: {winver}, exception code: 0xc0000005, fault offset: {hexnum}`,
    `1014 Name resolution for the name {host} timed out after none of the configured DNS servers responded.`,
    `10016 The application-specific permission settings do not grant Local Activation permission for the COM Server application with CLSID {{uuid}} to the user NT AUTHORITY\\SYSTEM SID (S-1-5-18) from address LocalHost (Using LRPC).`,
    `6005 The Event log service was started.`,
    `6006 The Event log service was stopped.`,
  ],
};
