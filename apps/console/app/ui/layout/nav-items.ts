export interface NavItem {
  href: string;
  label: string;
}

/** Pages that exist. A page joins this list in the change that adds it, never before. */
export const navItems: readonly NavItem[] = [
  { href: '/', label: 'Overview' },
  { href: '/models', label: 'Models' },
  { href: '/runs', label: 'Runs' },
  { href: '/datasets', label: 'Datasets' },
  { href: '/training', label: 'Training' },
  { href: '/studies', label: 'Studies' },
  { href: '/deployments', label: 'Deployments' },
];
