/** The page and card of the emails that carry a letter to a mission or a UN office holder. */
export const letterBody = { backgroundColor: '#f5f5f2', fontFamily: 'system-ui, -apple-system, "Segoe UI", Tahoma, sans-serif' }
export const letterContainer = { backgroundColor: '#ffffff', margin: '24px auto', padding: '24px', maxWidth: '560px', borderRadius: '6px' }
