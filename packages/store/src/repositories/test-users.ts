/** Published sandbox logins: username, password and one-time code, each tied to a customer. */
import type { Executor } from '../database.js'

/** These credentials are public by design (printed at start, listed in the README). */
export interface TestUserRecord {
  username: string
  customerId: string
  password: string
  oneTimeCode: string
}

/** A test user with the name of the customer behind it, for the launcher and the console. */
export interface TestUserListing extends TestUserRecord {
  customerName: string
}

export function createTestUserRepository(db: Executor) {
  return {
    get(username: string): Promise<TestUserRecord | undefined> {
      return db.get<TestUserRecord>(
        {
          purpose: 'read test user',
          sql: `SELECT username, customer_id AS customerId, password, one_time_code AS oneTimeCode
            FROM test_users WHERE username = ?`,
        },
        [username],
      )
    },
    list(): Promise<TestUserListing[]> {
      return db.all<TestUserListing>({
        purpose: 'list test users',
        sql: `SELECT u.username, u.customer_id AS customerId, u.password, u.one_time_code AS oneTimeCode,
            c.given_name || ' ' || c.family_name AS customerName
          FROM test_users u JOIN customers c ON c.id = u.customer_id ORDER BY u.username`,
      })
    },
    async insertMany(users: readonly TestUserRecord[]): Promise<void> {
      for (const user of users) {
        await db.run(
          { purpose: 'insert test user', sql: 'INSERT INTO test_users VALUES (?, ?, ?, ?)' },
          [user.username, user.customerId, user.password, user.oneTimeCode],
        )
      }
    },
  }
}

export type TestUserRepository = ReturnType<typeof createTestUserRepository>
