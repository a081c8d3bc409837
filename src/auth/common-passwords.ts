/**
 * Passwords too common to accept, written for this system: the ones every cracking list tries
 * first, keyboard walks, and what people in Vietnam pick (mật khẩu, anh yêu em, names of places
 * and of the union, phone-like digits). Compared lower-cased; a password that only adds digits or
 * symbols around one of these is refused too (see password-policy.ts).
 */
const WORDS = `
123456 1234567 12345678 123456789 1234567890 12345678910 0123456789 9876543210 987654321
1111111111 0000000000 2222222222 5555555555 6666666666 8888888888 9999999999 1234512345
1122334455 1212121212 1231231231 1234123412 123123123 123321123 147258369 159753159753
123456789a 123456789q 123456789z 1234567890a a123456789 a1234567890 abc123456 abc1234567
abcd123456 abcd1234 abcdef123 abcdefgh abcdefghij abcdefghijk qwerty qwerty123 qwerty1234
qwertyuiop qwertyuiop1 qwertyuiop123 asdfghjkl asdfghjkl1 asdfghjkl123 zxcvbnm zxcvbnm123
zxcvbnm1234 qazwsx qazwsxedc qazwsxedc123 1qaz2wsx 1qaz2wsx3edc 1q2w3e4r 1q2w3e4r5t
1q2w3e4r5t6y q1w2e3r4t5 q1w2e3r4t5y6 zaq12wsx zaq1zaq1 !qaz2wsx 1qazxsw2 qweasdzxc
qweasdzxc123 qwe123qwe asd123asd password password1 password12 password123 password1234
passw0rd p@ssw0rd p@ssword p@ssword1 p@ssword123 pass1234 pass12345 pass123456 passpass
passwort motdepasse contrasena iloveyou iloveyou1 iloveyou123 loveyou123 princess
princess1 sunshine sunshine1 football football1 baseball basketball superman batman
spiderman starwars pokemon naruto dragon dragonball master master123 monkey letmein
letmein123 welcome welcome1 welcome123 welcome2024 welcome2025 welcome2026 hello123
hello12345 helloworld trustno1 whatever shadow michael jennifer jordan23 charlie
freedom computer internet google facebook youtube samsung iphone apple123 microsoft
admin admin123 admin1234 admin12345 admin123456 administrator administrator1 root
root123 root1234 toor changeme changeme123 default default123 guest guest123 user1234
user12345 test1234 test12345 test123456 testing123 secret secret123 login123 access123
system123 server123 oracle123 mysql123 postgres postgres123 demo1234 demo12345
demo@2026 demo2026 demo20262026 lms123456 lms@2026 lms2026lms training123
111111 222222 666666 888888 999999 000000 112233 121212 123123 654321 666888 868686
686868 6868686868 8686868686 1368813688 7777777777 4444444444 3333333333
matkhau matkhau1 matkhau12 matkhau123 matkhau1234 matkhau12345 matkhau123456 matkhaumoi
matkhaumoi123 matkhaucuatoi matkhau@123 matkhau2024 matkhau2025 matkhau2026 mk123456
mk12345678 mk123456789 doimatkhau doimatkhau123 quenmatkhau taikhoan taikhoan123
taikhoan1234 dangnhap dangnhap123 anhyeuem anhyeuem1 anhyeuem123 anhyeuem1234 anhyeuem2024
emyeuanh emyeuanh1 emyeuanh123 yeuem123 yeuanh123 yeuemnhieu yeuanhnhieu iloveu123
vietnam vietnam1 vietnam123 vietnam1234 vietnam2024 vietnam2025 vietnam2026 vietnamvodich
vietnamoi hanoi123 hanoi1234 hanoi12345 hanoi2024 hanoi2025 hanoi2026 saigon123
saigon1234 hochiminh hochiminh123 tphcm123 danang123 haiphong123 cantho123 bacninh123
hue123456 nhatrang123 congdoan congdoan1 congdoan123 congdoan1234 congdoan2024
congdoan2025 congdoan2026 congdoanvn congdoanvietnam tonglaodong tonglaodong123 vgcl123
vgcl1234 vgcl2026 canbo123 canbo1234 canbocongdoan chutich chutich123 chutich1234
daotao123 daotao1234 hocvien123 quantri quantri123 quantrivien nhanvien123 ketoan123
giaovien123 hocsinh123 sinhvien123 thanhnien123 dangvien123 chibo123 xinchao xinchao123
chaoban123 tamthoi123 tamthoi1234 khongbiet khongbiet123 khongnho123 binhthuong
hoilamgi hoilamgi123 conmeo123 concho123 meomeo123 gaugau123 hoahong123 hoamai123
hoadao123 mattroi123 trangtrang sao123456 baby123456 babyyeu123 cuncon123 cunyeu123
vanthanh123 nguyen123 nguyenvan nguyenvan123 tranvan123 levan123 phamvan123 hoangvan123
nguyenthi123 tranthi123 lethi123 nguyenanh123 nguyenminh123 minhanh123 ngocanh123
thuytien123 hoanganh123 ducanh123 tuananh123 quanganh123 phuonganh123 vietanh123
lananh123 huong123456 linh123456 trang123456 thao123456 hanh123456 hoa1234567
hung123456 dung123456 tuan123456 thang123456 long123456 nam1234567 duc1234567
huy1234567 khanh123456 quang123456 son1234567 phong123456 hai1234567 binh123456
tien123456 cuong123456 hieu123456 trung123456 hoang123456 minh123456 anh1234567
mylove123 mylove1234 forever123 tinhyeu tinhyeu123 tinhyeu1234 giadinh giadinh123
giadinhtoi hanhphuc hanhphuc123 bình123456 hạnhphúc123 mậtkhẩu123 việtnam123
asdasdasd asdasd123 qweqweqwe qweqwe123 zxczxczxc aaaaaaaaaa abcabcabc abc123abc
a1b2c3d4e5 a1a2a3a4a5 aa123456789 aaa123456 aaaa1111 aaaa123456 zzzzzzzzzz
12qwaszx 12qwaszx34 qwer1234 qwer12345 asdf1234 asdf12345 zxcv1234 1234qwer 1234asdf
1234abcd abcd12345 abc12345678 iloveyou2 loveme123 lovelove 11223344 12344321
1234567891 1234554321 123456654321 147852369 741852963 963852741 159357159 789456123
456789123 321654987 987654321a 0987654321 0912345678 0987654321a 0123456789a 0901234567
0988888888 0999999999 0912345678a 19001900 0123123123 01234567890 113114115 123654789
`;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  WORDS.split(/\s+/)
    .map((w) => w.normalize('NFC').toLowerCase())
    .filter((w) => w.length > 0),
);
