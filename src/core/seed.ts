import { sql } from 'drizzle-orm';
import { systemActor } from './audit/audit.ts';
import type { Role } from './auth/roles.ts';
import { AuthService } from './auth/service.ts';
import type { Db } from './db/index.ts';
import type { Events } from './events/outbox.ts';
import type { ModuleManifest } from './modules.ts';
import { seedOrganisation } from './org/seed.ts';

export const demoPassword = 'mueang-demo';

export const demoAccounts: {
  email: string;
  role: Role;
  displayName: string;
  office?: string;
  nationalId?: string;
}[] = [
  { email: 'admin@demo.local', role: 'admin', displayName: 'ผู้ดูแลระบบ (ตัวอย่าง)' },
  { email: 'executive@demo.local', role: 'executive', displayName: 'ผู้บริหาร (ตัวอย่าง)' },
  {
    email: 'manager@demo.local',
    role: 'office_manager',
    displayName: 'ผู้อำนวยการสำนักปลัด (ตัวอย่าง)',
    office: 'clerk',
  },
  { email: 'officer@demo.local', role: 'officer', displayName: 'เจ้าหน้าที่สำนักปลัด (ตัวอย่าง)', office: 'clerk' },
  {
    email: 'revenue@demo.local',
    role: 'officer',
    displayName: 'เจ้าหน้าที่จัดเก็บรายได้ (ตัวอย่าง)',
    office: 'finance',
  },
  // A synthetic national ID (valid check digit) so the demo citizen owns demo tax records.
  {
    email: 'citizen@demo.local',
    role: 'citizen',
    displayName: 'สมชาย ใจดี (ตัวอย่าง)',
    nationalId: '1101700230708',
  },
];

/** The Khon Kaen demo: organisation, demo accounts and each module's own demo data. Safe to run again. */
export async function seedDemo(db: Db, events: Events, modules: ModuleManifest[]): Promise<void> {
  const offices = await seedOrganisation(db);
  const auth = new AuthService(db, events, { SESSION_TTL_HOURS: 1 });
  for (const account of demoAccounts) {
    const [exists] = await db.rows(sql`SELECT 1 FROM core_users WHERE email = ${account.email}`);
    if (exists) continue;
    await auth.createAccount(
      {
        displayName: account.displayName,
        email: account.email,
        password: demoPassword,
        role: account.role,
        nationalId: account.nationalId,
        officeId: account.office ? offices.get(account.office) : null,
      },
      { ...systemActor, label: 'demo-seed' },
    );
  }
  for (const m of modules) await m.seed?.({ db, events, offices });
}
