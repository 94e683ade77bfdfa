/**
 * The demo shop's opening range: 54 products in 6 categories, with prices in euro cents and
 * opening stock that includes sold-out and nearly sold-out lines so every tile state shows.
 */

export const categories = [
  { slug: 'audio', name: 'Audio' },
  { slug: 'kitchen', name: 'Kitchen' },
  { slug: 'outdoor', name: 'Outdoor' },
  { slug: 'home-office', name: 'Home Office' },
  { slug: 'fitness', name: 'Fitness' },
  { slug: 'lighting', name: 'Lighting' },
] as const;

type Line = [name: string, description: string, euros: number];

const lines: Record<(typeof categories)[number]['slug'], Line[]> = {
  audio: [
    ['Wireless Headphones', 'Over-ear headphones with active noise cancelling and 30 hours of battery.', 129.0],
    ['Bluetooth Speaker', 'Splash-proof portable speaker with deep bass and a 12 hour battery.', 59.9],
    ['Studio Monitor Pair', 'Two near-field monitors for honest mixing on a small desk.', 249.0],
    ['Turntable', 'Belt-drive record player with a built-in phono preamp.', 199.0],
    ['Earbuds Pro', 'True wireless earbuds with transparency mode and a charging case.', 89.0],
    ['Soundbar', 'Slim soundbar with clear dialogue mode for small living rooms.', 149.0],
    ['USB Microphone', 'Cardioid condenser microphone for podcasts and calls.', 79.5],
    ['Headphone Amplifier', 'Desktop amplifier that drives demanding headphones cleanly.', 119.0],
    ['Radio Alarm Clock', 'DAB+ radio with a gentle wake-up light and two alarms.', 45.0],
  ],
  kitchen: [
    ['Chef Knife', 'Eight-inch forged steel knife that holds its edge.', 64.0],
    ['Cast Iron Skillet', 'Pre-seasoned 26 cm skillet for searing and baking.', 39.9],
    ['Espresso Machine', 'Pump espresso machine with a steam wand for milk drinks.', 299.0],
    ['Burr Coffee Grinder', 'Conical burr grinder with 40 grind settings.', 89.0],
    ['Stand Mixer', 'Five litre stand mixer with dough hook, whisk and paddle.', 349.0],
    ['Electric Kettle', 'Variable temperature kettle for tea and pour-over coffee.', 49.0],
    ['Cutting Board', 'End-grain oak board that is kind to knife edges.', 34.5],
    ['Dutch Oven', 'Enamelled cast iron pot for stews and bread.', 109.0],
    ['Digital Kitchen Scale', 'Scale precise to one gram with a tare button.', 19.9],
  ],
  outdoor: [
    ['Camping Tent', 'Two-person tent that pitches in five minutes.', 179.0],
    ['Sleeping Bag', 'Three-season down sleeping bag, comfortable to 2 °C.', 139.0],
    ['Trail Backpack', '35 litre pack with a ventilated back panel and rain cover.', 99.0],
    ['Headlamp', 'Rechargeable 400 lumen headlamp with a red night mode.', 29.9],
    ['Camping Stove', 'Compact gas stove that boils a litre in three minutes.', 44.0],
    ['Water Filter', 'Squeeze filter that makes stream water safe to drink.', 32.0],
    ['Trekking Poles', 'Pair of foldable carbon poles with cork grips.', 74.0],
    ['Insulated Bottle', 'Steel bottle that keeps drinks cold for a day.', 27.5],
    ['Hammock', 'Parachute nylon hammock with tree-friendly straps.', 49.0],
  ],
  'home-office': [
    ['Standing Desk', 'Electric sit-stand desk with memory presets.', 449.0],
    ['Ergonomic Chair', 'Office chair with adjustable lumbar support and armrests.', 329.0],
    ['Mechanical Keyboard', 'Tenkeyless keyboard with hot-swappable switches.', 119.0],
    ['Wireless Mouse', 'Ergonomic mouse with silent clicks and USB-C charging.', 49.9],
    ['Monitor Arm', 'Gas-spring arm that holds a monitor up to 9 kg.', 89.0],
    ['Webcam', '1080p webcam with a privacy shutter and dual microphones.', 69.0],
    ['Desk Mat', 'Felt desk mat that quiets keyboard and mouse.', 24.9],
    ['Laptop Stand', 'Aluminium stand that lifts a laptop to eye level.', 39.0],
    ['Noise Panel Set', 'Six acoustic panels that calm echo in a home office.', 59.0],
  ],
  fitness: [
    ['Yoga Mat', 'Non-slip 6 mm mat with an alignment guide.', 39.0],
    ['Adjustable Dumbbells', 'Pair of dumbbells from 2 to 24 kg with a quick dial.', 299.0],
    ['Resistance Bands', 'Set of five latex bands with handles and a door anchor.', 29.0],
    ['Jump Rope', 'Speed rope with ball bearings and an adjustable cable.', 14.9],
    ['Foam Roller', 'Firm foam roller for recovery after runs.', 24.0],
    ['Kettlebell', 'Cast iron 16 kg kettlebell with a wide handle.', 54.0],
    ['Pull-up Bar', 'Doorway pull-up bar that installs without screws.', 34.9],
    ['Fitness Tracker', 'Water-resistant tracker with heart rate and sleep tracking.', 99.0],
    ['Gym Bag', 'Duffel bag with a shoe compartment and a wet pocket.', 44.0],
  ],
  lighting: [
    ['Desk Lamp', 'LED desk lamp with adjustable colour temperature.', 59.0],
    ['Floor Lamp', 'Arc floor lamp with a linen shade.', 149.0],
    ['Smart Bulb Pack', 'Four dimmable smart bulbs that work without a hub.', 49.9],
    ['Pendant Light', 'Spun aluminium pendant for dining tables.', 89.0],
    ['String Lights', 'Ten metres of warm white outdoor string lights.', 29.9],
    ['Reading Light', 'Clip-on reading light with three brightness levels.', 19.5],
    ['Wall Sconce', 'Brass wall light with a swing arm.', 79.0],
    ['Night Light', 'Motion-sensing night light for hallways.', 14.0],
    ['LED Strip Kit', 'Five metre colour LED strip with a remote.', 34.0],
  ],
};

const skuPrefix: Record<string, string> = {
  audio: 'AUD', kitchen: 'KIT', outdoor: 'OUT', 'home-office': 'OFF', fitness: 'FIT', lighting: 'LGT',
};

// Opening stock cycles through sold-out, nearly sold-out and plenty, so every label appears.
const STOCK_PATTERN = [25, 3, 40, 0, 12, 1, 60, 5, 18];

export const products = categories.flatMap(({ slug }) =>
  lines[slug].map(([name, description, euros], i) => ({
    sku: `${skuPrefix[slug]}-${String(i + 1).padStart(4, '0')}`,
    name,
    description,
    category: slug,
    price: { amount: Math.round(euros * 100), currency: 'EUR' as const },
    available: STOCK_PATTERN[i % STOCK_PATTERN.length]!,
  })),
);
