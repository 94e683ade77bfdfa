import { createModuleFederationConfig } from '@module-federation/vite';
import { sharedModules } from '@shop/frontend-server/federation-shared';

export default createModuleFederationConfig({
  name: 'mfe_cart',
  filename: 'remoteEntry.js',
  manifest: true,
  exposes: {
    './MiniCart': './src/app/expose/mini-cart.tsx',
    './AddToCart': './src/app/expose/add-to-cart.tsx',
    './CartPage': './src/app/expose/cart-page.tsx',
    './CheckoutPage': './src/app/expose/checkout-page.tsx',
    './OrderPage': './src/app/expose/order-page.tsx',
    './OrdersPage': './src/app/expose/orders-page.tsx',
    './AccountPage': './src/app/expose/account-page.tsx',
  },
  shared: sharedModules,
  dts: false,
  // The federation runtime (runtime-core) is the shell's: one copy per page instead of one per fragment.
  // The standalone page has no shell, so it provides the runtime itself (provideFederationRuntime()).
  experiments: { externalRuntime: true },
});
