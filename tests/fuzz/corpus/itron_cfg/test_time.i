# 0 "test_time.cfg"
# 1 "test_time.cfg"
# 1 "test_time.h" 1
# 3 "test_time.cfg" 2
CRE_TSK(TASK1, { 0x02U, 1, task1, 10, 4096U, 
# 4 "test_time.cfg" 3 4
                                                            ((void *)0) 
# 4 "test_time.cfg"
                                                                 });
CRE_TSK(TASK2, { 0U, 2, task2, 9, 4096U, 
# 5 "test_time.cfg" 3 4
                                                              ((void *)0) 
# 5 "test_time.cfg"
                                                                   });
CRE_CYC(CYC1, { 0x02U, 1, cyc1, 10, 5 });
CRE_ALM(ALM1, { 0U, 1, alm1 });
CRE_ALM(ALM2, { 0U, 2, alm2 });
