import { createModuleFederationConfig } from '@module-federation/vite';

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
  // Singletons: one React, one router context and one live socket per page, whoever loads first.
  shared: {
    react: { singleton: true },
    'react-dom': { singleton: true },
    'react-router': { singleton: true },
    '@tanstack/react-query': { singleton: true },
    '@shop/live-client': { singleton: true },
  },
  dts: false,
  // The federation runtime (runtime-core) is the shell's: one copy per page instead of one per fragment.
  // The standalone page has no shell, so it provides the runtime itself (provideFederationRuntime()).
  experiments: { externalRuntime: true },
});
